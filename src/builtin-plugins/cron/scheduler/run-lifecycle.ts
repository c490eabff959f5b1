import { formatDuration } from '@nexus/plugin-sdk';
import { setMaxListeners } from 'node:events';
import type { Clock, Logger } from '@nexus/plugin-sdk';
import type { CronJob } from '../config/index.js';
import { resultOfThrown, type ExecutionResult, type JobExecutor, type JobExecutors } from '../executors/index.js';
import { keyOf, runId, type ClaimedRun, type RunTransitions } from '../store/index.js';
import { sleep, type Timers } from '../time/index.js';
import type { Activity } from './activity.js';
import type { OutcomeWriter } from './outcome-writer.js';

/** Retry delays double from `retries.backoff` up to this. */
const LONGEST_BACKOFF_MS = 3_600_000;
const TIMED_OUT = Symbol('cron run timeout');
const HARD_STOP = Symbol('cron hard stop');

export interface RunLifecycleOptions {
  readonly transitions: RunTransitions;
  /** Where outcomes go (group-committed). */
  readonly outcomes: OutcomeWriter;
  readonly executors: JobExecutors;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly logger: Logger;
  readonly activity: Activity;
  /** The job as it is now (a queued run starts with the job's current settings), or undefined once removed. */
  readonly job: (id: string) => CronJob | undefined;
  /** Added to a run's timeout for its lease, so a slow database write does not look like a dead process. */
  readonly leaseMarginMs: number;
}

export interface DrainReport {
  readonly finished: number;
  readonly interrupted: number;
}

/**
 * Takes a claimed run to its outcome: attempts bounded by the job's timeout (the executor's
 * signal aborts), transient failures retried with doubling backoff, the outcome recorded. Then
 * the job's queued run, if one waits, is started here (whichever process ends a run hands over).
 */
export class RunLifecycle {
  private readonly active = new Map<string, Promise<void>>();
  /** Aborted when a stop begins: no retry waits, no queued runs picked up. */
  private readonly draining = new AbortController();
  /** Aborted when the drain deadline passes: attempts still going are abandoned as interrupted. */
  private readonly hardStop = new AbortController();
  private interruptedCount = 0;

  constructor(private readonly options: RunLifecycleOptions) {
    // Every run in flight listens to both: hundreds of runs due at once are not a leak.
    setMaxListeners(0, this.draining.signal, this.hardStop.signal);
  }

  get running(): number {
    return this.active.size;
  }

  leaseMs(job: CronJob): number {
    return job.timeoutMs + this.options.leaseMarginMs;
  }

  start(run: ClaimedRun, job: CronJob): void {
    const key = keyOf(run);
    const done = this.drive(run, job)
      .catch((error: unknown) => this.options.logger.error('cron: a run failed inside the scheduler', { run: runId(run), error: (error as Error).message }))
      .finally(() => this.active.delete(key));
    this.active.set(key, done);
  }

  /** Settles once every run started here ended (a one-off run outside a scheduler waits on it). */
  async settled(): Promise<void> {
    while (this.active.size > 0) await Promise.all(this.active.values());
  }

  /** Lets runs finish until `deadlineMs` passes, then interrupts the rest (recorded `interrupted`). */
  async drain(deadlineMs: number): Promise<DrainReport> {
    this.draining.abort();
    const before = this.active.size;
    const settled = Promise.all(this.active.values()).then(() => true);
    const stop = new AbortController();
    const deadline = sleep(this.options.timers, deadlineMs, stop.signal).then(
      () => false,
      () => true,
    );
    if (!(await Promise.race([settled, deadline]))) this.hardStop.abort(HARD_STOP);
    stop.abort();
    await Promise.all(this.active.values());
    return { finished: Math.max(0, before - this.interruptedCount), interrupted: this.interruptedCount };
  }

  private async drive(first: ClaimedRun, firstJob: CronJob): Promise<void> {
    let run: ClaimedRun | undefined = first;
    let job: CronJob | undefined = firstJob;
    while (run !== undefined && job !== undefined) {
      await this.execute(run, job);
      if (this.draining.signal.aborted) return;
      const next: CronJob | undefined = this.options.job(run.jobId);
      // Only a job with concurrency queue ever has a run waiting behind this one.
      if (next === undefined || next.concurrency !== 'queue') return;
      run = await this.options.activity.track(this.options.transitions.startQueued(run.jobId, this.options.clock.now(), this.leaseMs(next)));
      job = next;
    }
  }

  private async execute(run: ClaimedRun, job: CronJob): Promise<void> {
    const { transitions, clock, logger, activity } = this.options;
    const finish = async (status: 'ok' | 'error' | 'interrupted', error?: string, output?: string) => {
      if (status === 'interrupted') this.interruptedCount++;
      const owned = await activity.track(this.options.outcomes.write(run, status, clock.now(), error, output));
      if (!owned) logger.warn('cron: another scheduler took this run over (its lease had run out); its outcome here is not recorded', { run: runId(run), status });
      const fields = { run: runId(run), job: job.id, attempt, ...(error !== undefined ? { error } : {}) };
      if (status === 'ok') logger.info('cron: run finished', fields);
      else logger.warn(`cron: run ${status === 'error' ? 'failed' : 'interrupted'}`, fields);
    };
    const executor = this.options.executors[job.type] as JobExecutor | undefined;
    let attempt = run.attempt;
    if (executor === undefined) return finish('error', `no executor for ${job.type} jobs is available in this process (the service it needs is not running)`);
    for (;;) {
      const result = await this.attempt(job, executor, run, attempt);
      if (result === HARD_STOP) return finish('interrupted', 'the scheduler shut down before the run finished (drain deadline)');
      if (result.status === 'ok') return finish('ok', undefined, result.output);
      if (!result.transient || attempt > job.retries.max) {
        const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
        return finish('error', `${result.error}${tries}`, result.output);
      }
      const delay = Math.min(LONGEST_BACKOFF_MS, job.retries.backoffMs * 2 ** (attempt - 1));
      const leaseUntil = clock.now() + delay + this.leaseMs(job);
      if (!(await activity.track(transitions.nextAttempt(run, attempt + 1, leaseUntil, result.error)))) {
        logger.warn('cron: another scheduler took this run over; not retrying it here', { run: runId(run) });
        return;
      }
      logger.info(`cron: attempt ${attempt} failed (transient); retrying in ${formatDuration(delay)}`, { run: runId(run), error: result.error });
      try {
        await sleep(this.options.timers, delay, this.draining.signal);
      } catch {
        return finish('interrupted', `the scheduler shut down while waiting to retry; last error: ${result.error}`);
      }
      attempt++;
    }
  }

  /** One attempt, bounded by the job's timeout and by a hard stop, whatever the executor does with its signal. */
  private async attempt(job: CronJob, executor: JobExecutor, run: ClaimedRun, attempt: number): Promise<ExecutionResult | typeof HARD_STOP> {
    const controller = new AbortController();
    const timer = this.options.timers.setTimeout(() => controller.abort(TIMED_OUT), job.timeoutMs);
    const relay = () => controller.abort(HARD_STOP);
    if (this.hardStop.signal.aborted) relay();
    this.hardStop.signal.addEventListener('abort', relay, { once: true });
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<typeof TIMED_OUT | typeof HARD_STOP>((resolve) => {
      onAbort = () => resolve(controller.signal.reason as typeof TIMED_OUT | typeof HARD_STOP);
      if (controller.signal.aborted) onAbort();
      else controller.signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const context = { id: runId(run), jobId: run.jobId, scheduledAt: run.scheduledAt, kind: run.kind, attempt };
      const execution = Promise.resolve()
        .then(() => executor.execute(job as never, context, controller.signal))
        .catch(resultOfThrown);
      const outcome = await Promise.race([execution, aborted]);
      if (outcome === HARD_STOP) return HARD_STOP;
      if (outcome === TIMED_OUT) return { status: 'error', error: `the run did not finish within ${formatDuration(job.timeoutMs)} (timeout)`, transient: executor.retryOnTimeout === true };
      return outcome;
    } finally {
      this.options.timers.clearTimeout(timer);
      this.hardStop.signal.removeEventListener('abort', relay);
      controller.signal.removeEventListener('abort', onAbort);
    }
  }
}
