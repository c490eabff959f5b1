import { decodeRecord, type RunRecord, type RunStatus } from './run-records.js';
import type { SqlClient } from './sql-client.js';

export interface PruneLimits {
  readonly maxRunsPerJob: number;
  readonly maxAgeMs: number;
}

/** Reading and trimming run history. Runs still going or waiting are never removed. */
export class RunHistory {
  constructor(private readonly db: SqlClient) {}

  /** A job's runs, newest first. */
  async runs(jobId: string, limit = 20): Promise<RunRecord[]> {
    const rows = await this.db.all('SELECT * FROM cron_runs WHERE job_id = ? ORDER BY scheduled_at DESC LIMIT ?', [jobId, limit]);
    return rows.map(decodeRecord);
  }

  /** One run. */
  async run(jobId: string, scheduledAt: number): Promise<RunRecord | undefined> {
    const [row] = await this.db.all('SELECT * FROM cron_runs WHERE job_id = ? AND scheduled_at = ?', [jobId, scheduledAt]);
    return row === undefined ? undefined : decodeRecord(row);
  }

  /** How many runs of each status a job has in its history. */
  async statusCounts(jobId: string): Promise<Partial<Record<RunStatus, number>>> {
    const rows = await this.db.all<{ status: RunStatus; n: unknown }>('SELECT status, COUNT(*) AS n FROM cron_runs WHERE job_id = ? GROUP BY status', [jobId]);
    return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
  }

  /** Removes runs that finished before `now - maxAge`, and all but each job's newest `maxRunsPerJob`; returns how many. */
  async prune(limits: PruneLimits, now: number): Promise<number> {
    const old = await this.db.run(`DELETE FROM cron_runs WHERE status NOT IN ('running', 'queued') AND finished_at < ?`, [now - limits.maxAgeMs]);
    const excess = await this.db.run(
      `DELETE FROM cron_runs WHERE status NOT IN ('running', 'queued') AND (job_id, scheduled_at) IN (
         SELECT job_id, scheduled_at FROM (
           SELECT job_id, scheduled_at, ROW_NUMBER() OVER (PARTITION BY job_id ORDER BY scheduled_at DESC) AS position FROM cron_runs
         ) ranked WHERE position > ?)`,
      [limits.maxRunsPerJob],
    );
    return old.changes + excess.changes;
  }
}
