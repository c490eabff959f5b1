import type { ConcurrencyPolicy } from '../config/index.js';
import { excerpt, keyOf, type RunKey, type RunKind } from './run-records.js';
import type { SqlClient } from './sql-client.js';

export interface ClaimRequest extends RunKey {
  readonly kind: RunKind;
  readonly concurrency: ConcurrencyPolicy;
  /** How long the run may hold its claim before another process takes it for abandoned. */
  readonly leaseMs: number;
  /** Recorded as the error of a run skipped because the job was busy. */
  readonly skipReason: string;
}

/**
 * `running`: this process won the run and starts it now. `queued`: it waits for the job's current
 * run (on whichever process) and whoever ends that run starts it. `skipped`: the job was busy and
 * its policy is skip (or one run already waits). `lost`: another process has this run.
 */
export type ClaimOutcome = 'running' | 'queued' | 'skipped' | 'lost';

/** Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 100;

/**
 * Claims runs, many per statement. Each run is one row keyed by (job_id, scheduled_at), so of all
 * the processes inserting it exactly one succeeds (`INSERT … ON CONFLICT DO NOTHING RETURNING`).
 * A running insert also fails while the job has a running row (a partial unique index); such runs
 * are then inserted as queued or skipped in the same way, so every run ends with exactly one row
 * and one outcome, whatever the interleaving.
 */
export async function claimRuns(db: SqlClient, requests: readonly ClaimRequest[], instance: string, now: number): Promise<Map<string, ClaimOutcome>> {
  const outcome = new Map<string, ClaimOutcome>();
  for (let start = 0; start < requests.length; start += CHUNK) {
    const chunk = requests.slice(start, start + CHUNK);
    const won = await insertRuns(db, chunk, (r) => [r.jobId, r.scheduledAt, r.kind, 'running', 1, 0, instance, now, now + r.leaseMs, null, null]);
    for (const r of chunk) if (won.has(keyOf(r))) outcome.set(keyOf(r), 'running');
    const queueable = chunk.filter((r) => !outcome.has(keyOf(r)) && r.concurrency === 'queue');
    const queued = await insertRuns(db, queueable, (r) => [r.jobId, r.scheduledAt, r.kind, 'queued', 0, 0, instance, null, null, null, null]);
    for (const r of queueable) if (queued.has(keyOf(r))) outcome.set(keyOf(r), 'queued');
    const rest = chunk.filter((r) => !outcome.has(keyOf(r)));
    const skipped = await insertRuns(db, rest, (r) => [r.jobId, r.scheduledAt, r.kind, 'skipped', 0, 0, instance, null, null, now, excerpt(r.skipReason)]);
    for (const r of rest) outcome.set(keyOf(r), skipped.has(keyOf(r)) ? 'skipped' : 'lost');
  }
  return outcome;
}

export interface MissedRun extends RunKey {
  readonly reason: string;
}

/** Records runs that will not happen. A run another process already has keeps its row. */
export async function recordMissed(db: SqlClient, missed: readonly MissedRun[], instance: string, now: number): Promise<number> {
  let recorded = 0;
  for (let start = 0; start < missed.length; start += CHUNK) {
    const chunk = missed.slice(start, start + CHUNK);
    const rows = await insertRuns(db, chunk, (m) => [m.jobId, m.scheduledAt, 'schedule', 'missed', 0, 0, instance, null, null, now, excerpt(m.reason)]);
    recorded += rows.size;
  }
  return recorded;
}

const COLUMNS = '(job_id, scheduled_at, kind, status, attempt, recoveries, claimed_by, started_at, lease_until, finished_at, error)';

async function insertRuns<R extends RunKey>(db: SqlClient, rows: readonly R[], values: (row: R) => unknown[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const placeholders = rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
  const inserted = await db.all<{ job_id: string; scheduled_at: unknown }>(
    `INSERT INTO cron_runs ${COLUMNS} VALUES ${placeholders} ON CONFLICT DO NOTHING RETURNING job_id, scheduled_at`,
    rows.flatMap(values),
  );
  return new Set(inserted.map((row) => keyOf({ jobId: String(row.job_id), scheduledAt: Number(row.scheduled_at) })));
}
