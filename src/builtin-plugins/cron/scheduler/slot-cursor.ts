import type { Logger } from '@nexus/plugin-sdk';
import { JobRows, type JobProgress, type SqlClient } from '../store/index.js';
import type { TimerHandle, Timers } from '../time/index.js';
import type { Activity } from './activity.js';

/**
 * Writes how far each job's runs are accounted for (`cron_jobs.last_slot_at`) and its next run
 * (`next_run_at`), batched: at most one commit per `delayMs`. Lagging is safe: after a crash the runs in between are looked at
 * again, and their rows (run, skipped or missed) make every second claim a no-op.
 */
export class SlotCursor {
  private readonly pending = new Map<string, JobProgress>();
  private timer: TimerHandle | undefined;

  constructor(
    private readonly db: SqlClient,
    private readonly timers: Timers,
    private readonly activity: Activity,
    private readonly logger: Logger,
    private readonly delayMs = 1000,
  ) {}

  note(jobId: string, lastSlotAt: number, nextRunAt: number | undefined): void {
    const known = this.pending.get(jobId);
    if (known === undefined || lastSlotAt >= known.lastSlotAt) this.pending.set(jobId, { lastSlotAt, nextRunAt });
    this.timer ??= this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.activity.track(this.flush());
    }, this.delayMs);
  }

  async flush(): Promise<void> {
    if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.size === 0) return;
    const batch = new Map(this.pending);
    this.pending.clear();
    try {
      // One commit for all of them (the statements go a hundred jobs at a time).
      await this.db.transaction((tx) => new JobRows(tx).advance(batch));
    } catch (error) {
      for (const [id, progress] of batch) if (!this.pending.has(id)) this.note(id, progress.lastSlotAt, progress.nextRunAt);
      this.logger.warn('cron: could not record how far jobs have run; trying again', { error: (error as Error).message });
    }
  }
}
