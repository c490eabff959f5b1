import type { CronJobType, JobOfType } from '../config/index.js';
import type { RunKind } from '../store/index.js';

/** What an executor knows about the run it executes. */
export interface RunContext {
  /** `<job id>@<scheduled ms>`: stable across retries, usable as an idempotency key. */
  readonly id: string;
  readonly jobId: string;
  /** UTC ms. */
  readonly scheduledAt: number;
  readonly kind: RunKind;
  /** 1 for the first attempt. */
  readonly attempt: number;
}

export type ExecutionResult =
  | { readonly status: 'ok'; readonly output?: string }
  /** `transient`: the same attempt may succeed later (network, 5xx, rate limit), so `retries` apply. */
  | { readonly status: 'error'; readonly error: string; readonly transient: boolean; readonly output?: string };

/** Runs one attempt of a job type. The signal aborts at the job's timeout or a shutdown. */
export interface JobExecutor<T extends CronJobType = CronJobType> {
  execute(job: JobOfType<T>, run: RunContext, signal: AbortSignal): Promise<ExecutionResult>;
  /** Whether an attempt that ran out of time is worth retrying (a webhook: yes; an agent turn: no). */
  readonly retryOnTimeout?: boolean;
}

export type JobExecutors = { readonly [T in CronJobType]?: JobExecutor<T> };

/** A failure an executor or a port throws with its classification. */
export class CronRunError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'CronRunError';
  }
}

/**
 * A thrown error as a result. Transient only when it says so (`transient` or `retryable: true`,
 * as CronRunError and classified provider errors do): retrying an unknown failure could repeat
 * side effects that already happened.
 */
export function resultOfThrown(error: unknown): ExecutionResult {
  const flagged = error as { transient?: unknown; retryable?: unknown } | null;
  const transient = flagged?.transient === true || flagged?.retryable === true;
  const message = error instanceof Error ? error.message : String(error);
  return { status: 'error', error: message || (error as Error)?.name || 'failed', transient };
}
