import { toNumber, toOptionalNumber } from './sql-client.js';

export type RunStatus = 'running' | 'queued' | 'ok' | 'error' | 'missed' | 'skipped' | 'interrupted';

/** `schedule`: a run at its time (or up to `grace` late); `catch_up`: the one run `run_once` makes after a misfire; `manual`: `nexus cron run`. */
export type RunKind = 'schedule' | 'catch_up' | 'manual';

export interface RunKey {
  readonly jobId: string;
  readonly scheduledAt: number;
}

/** A run this process owns (status `running`, `claimed_by` = this process). */
export interface ClaimedRun extends RunKey {
  readonly kind: RunKind;
  readonly attempt: number;
  readonly recoveries: number;
}

/** One row of history, as `nexus cron runs` shows it. */
export interface RunRecord extends RunKey {
  readonly kind: RunKind;
  readonly status: RunStatus;
  readonly attempt: number;
  readonly recoveries: number;
  readonly claimedBy?: string;
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly error?: string;
  readonly output?: string;
}

/** `nightly@1767600000000`: a run's id in templates, logs and messages. */
export function runId(key: RunKey): string {
  return `${key.jobId}@${key.scheduledAt}`;
}

export function keyOf(key: RunKey): string {
  return `${key.jobId}\u0000${key.scheduledAt}`;
}

export function decodeClaimed(row: Record<string, unknown>): ClaimedRun {
  return { jobId: String(row.job_id), scheduledAt: toNumber(row.scheduled_at), kind: row.kind as RunKind, attempt: toNumber(row.attempt), recoveries: toNumber(row.recoveries) };
}

export function decodeRecord(row: Record<string, unknown>): RunRecord {
  const text = (value: unknown) => (value === null || value === undefined ? undefined : String(value));
  const record: RunRecord = {
    ...decodeClaimed(row),
    status: row.status as RunStatus,
    claimedBy: text(row.claimed_by),
    startedAt: toOptionalNumber(row.started_at),
    finishedAt: toOptionalNumber(row.finished_at),
    error: text(row.error),
    output: text(row.output),
  };
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as unknown as RunRecord;
}

/** Error and output texts are excerpts: history is for reading, not an archive. */
export const EXCERPT_CHARS = 2000;

export function excerpt(text: string | undefined): string | null {
  if (text === undefined) return null;
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS - 1)}…`;
}
