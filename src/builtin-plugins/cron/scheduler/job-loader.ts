import type { Logger } from '@nexus/plugin-sdk';
import { scheduleIdentity, type CronJob } from '../config/index.js';
import type { CronJobStore, JobRows } from '../store/index.js';
import type { JobTable } from './job-table.js';
import type { SlotCursor } from './slot-cursor.js';

/**
 * Brings the job table up to date with the config's jobs and the stored ones: mirrors the
 * config jobs' bookkeeping rows, reads the stored jobs, and reschedules what is new or changed.
 */
export class JobLoader {
  /** `jobs_version` as of the last load: stored jobs changed elsewhere when it moves. */
  version = -1;

  constructor(
    private readonly rows: JobRows,
    private readonly store: CronJobStore,
    private readonly table: JobTable,
    private readonly cursor: SlotCursor,
    private readonly logger: Logger,
  ) {}

  async load(configJobs: readonly CronJob[], now: number): Promise<void> {
    const { logger, table } = this;
    const clashes = new Set(await this.rows.syncConfig(configJobs.map((job) => ({ id: job.id, scheduleIdentity: scheduleIdentity(job), enabled: job.enabled })), now));
    for (const id of clashes) logger.error(`cron: job id "${id}" is used by the config file and by a stored job; the stored job keeps it, the config job does not run`, { job: id });
    // Read before the jobs: a change in between is then seen at the next check, not lost.
    this.version = await this.rows.version();
    const stored = await this.store.list();
    for (const entry of stored) {
      for (const d of entry.diagnostics) logger.warn(`cron: stored job ${entry.row.id}: ${d.message}`, { job: entry.row.id, code: d.code, hint: d.hint });
    }
    const jobs = [...configJobs.filter((job) => !clashes.has(job.id)), ...stored.flatMap((entry) => (entry.job ? [entry.job] : []))];
    for (const entry of table.load(jobs, await this.rows.bookkeeping(), now)) this.cursor.note(entry.job.id, entry.lastSlot, table.queue.dueAt(entry.job.id));
    // New and changed jobs show their next run to other processes at once (loads are rare).
    await this.cursor.flush();
  }

  /** Whether stored jobs changed since the last load (another process, or the CLI). */
  async changed(): Promise<boolean> {
    return (await this.rows.version()) !== this.version;
  }
}
