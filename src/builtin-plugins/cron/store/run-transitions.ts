import { decodeClaimed, excerpt, type ClaimedRun, type RunKey, type RunStatus } from './run-records.js';
import { isUniqueViolation, toNumber, type SqlClient } from './sql-client.js';

const CLAIMED = 'job_id, scheduled_at, kind, attempt, recoveries';

/**
 * The changes of a run after its claim. Each is one statement guarded by the row's current status
 * (and owner), so of several processes attempting the same change exactly one succeeds, and a
 * process that lost a run (taken over after its lease ran out) cannot overwrite its outcome.
 */
export class RunTransitions {
  constructor(
    private readonly db: SqlClient,
    /** This process, as recorded in `claimed_by`. */
    private readonly instance: string,
  ) {}

  /** Records the outcome; false when this process no longer owns the run. */
  async finish(run: RunKey, status: Extract<RunStatus, 'ok' | 'error' | 'interrupted'>, now: number, error?: string, output?: string): Promise<boolean> {
    const { changes } = await this.db.run(
      `UPDATE cron_runs SET status = ?, finished_at = ?, lease_until = NULL, error = ?, output = ?
       WHERE job_id = ? AND scheduled_at = ? AND status = 'running' AND claimed_by = ?`,
      [status, now, excerpt(error), excerpt(output), run.jobId, run.scheduledAt, this.instance],
    );
    return changes === 1;
  }

  /** Moves an owned run to its next attempt, extending its lease over the wait and the attempt. */
  async nextAttempt(run: RunKey, attempt: number, leaseUntil: number, lastError: string): Promise<boolean> {
    const { changes } = await this.db.run(
      `UPDATE cron_runs SET attempt = ?, lease_until = ?, error = ?
       WHERE job_id = ? AND scheduled_at = ? AND status = 'running' AND claimed_by = ?`,
      [attempt, leaseUntil, excerpt(lastError), run.jobId, run.scheduledAt, this.instance],
    );
    return changes === 1;
  }

  /**
   * Starts the job's queued run if no run of the job is going; undefined when there is none or
   * another process started it (or a new run of the job won the race for the running slot).
   */
  async startQueued(jobId: string, now: number, leaseMs: number): Promise<ClaimedRun | undefined> {
    return this.guarded(() =>
      this.db.all(
        `UPDATE cron_runs SET status = 'running', attempt = 1, claimed_by = ?, started_at = ?, lease_until = ?
         WHERE job_id = ? AND status = 'queued' AND NOT EXISTS (SELECT 1 FROM cron_runs r WHERE r.job_id = ? AND r.status = 'running')
         RETURNING ${CLAIMED}`,
        [this.instance, now, now + leaseMs, jobId, jobId],
      ),
    );
  }

  /**
   * Runs an interrupted run once more (misfire policy run_once): only a run not recovered before,
   * so a run that brings its process down cannot make a restart loop.
   */
  async recover(run: RunKey, now: number, leaseMs: number): Promise<ClaimedRun | undefined> {
    return this.guarded(() =>
      this.db.all(
        `UPDATE cron_runs SET status = 'running', attempt = attempt + 1, recoveries = recoveries + 1, claimed_by = ?, started_at = ?, finished_at = NULL, lease_until = ?, error = NULL
         WHERE job_id = ? AND scheduled_at = ? AND status = 'interrupted' AND recoveries = 0
         RETURNING ${CLAIMED}`,
        [this.instance, now, now + leaseMs, run.jobId, run.scheduledAt],
      ),
    );
  }

  /**
   * Marks runs whose lease ran out as interrupted: their process died or hung. Any process may do
   * this; each row is changed by exactly one of them, which then applies the misfire policy.
   */
  async expireLeases(now: number): Promise<RunKey[]> {
    const rows = await this.db.all<{ job_id: string; scheduled_at: unknown }>(
      `UPDATE cron_runs SET status = 'interrupted', finished_at = ?, lease_until = NULL,
         error = 'its scheduler (' || COALESCE(claimed_by, 'unknown') || ') stopped before the run finished; the lease on the run ran out'
       WHERE status = 'running' AND lease_until < ?
       RETURNING job_id, scheduled_at`,
      [now, now],
    );
    return rows.map((row) => ({ jobId: String(row.job_id), scheduledAt: toNumber(row.scheduled_at) }));
  }

  /** Interrupted runs that are still the newest of their job and were never recovered. */
  async recoverable(): Promise<RunKey[]> {
    const rows = await this.db.all<{ job_id: string; scheduled_at: unknown }>(
      `SELECT job_id, scheduled_at FROM cron_runs r
       WHERE status = 'interrupted' AND recoveries = 0
         AND scheduled_at = (SELECT MAX(scheduled_at) FROM cron_runs x WHERE x.job_id = r.job_id)`,
    );
    return rows.map((row) => ({ jobId: String(row.job_id), scheduledAt: toNumber(row.scheduled_at) }));
  }

  /** Jobs with a queued run and no running one: whoever should have started it is gone. */
  async orphanQueues(): Promise<string[]> {
    const rows = await this.db.all<{ job_id: string }>(
      `SELECT job_id FROM cron_runs q WHERE status = 'queued'
         AND NOT EXISTS (SELECT 1 FROM cron_runs r WHERE r.job_id = q.job_id AND r.status = 'running')`,
    );
    return rows.map((row) => String(row.job_id));
  }

  private async guarded(statement: () => Promise<Record<string, unknown>[]>): Promise<ClaimedRun | undefined> {
    try {
      const [row] = await statement();
      return row === undefined ? undefined : decodeClaimed(row);
    } catch (error) {
      // Another run of the job took the running slot first: it will start the queued run when it ends.
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
  }
}
