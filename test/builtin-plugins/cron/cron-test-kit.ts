import { join } from 'node:path';
import { readCronJob, type CronJob, type CronJobConfig } from '../../../src/builtin-plugins/cron/config/index.js';
import type { ExecutionResult, JobExecutor, JobExecutors, RunContext } from '../../../src/builtin-plugins/cron/executors/index.js';
import { CronScheduler, type CronSchedulerOptions } from '../../../src/builtin-plugins/cron/scheduler/index.js';
import { RunHistory, type RunRecord, type SqlClient } from '../../../src/builtin-plugins/cron/store/index.js';
import { MemoryLogger } from '../../../src/kernel/testing/index.js';
import { ManualTime } from './manual-time.js';
import { migrateCron, openSqliteClient, type TestSqlClient } from './sql-test-clients.js';
import { onCleanup, T0, tempDir } from './test-basics.js';

export { HOUR, MINUTE, onCleanup, SECOND, T0, tempDir } from './test-basics.js';

/** A job as the config reader makes it, in UTC unless it says otherwise. */
export function job(id: string, config: Partial<CronJobConfig> & Pick<CronJobConfig, 'schedule'>, now = T0): CronJob {
  const full = { type: 'webhook', webhook: { url: 'http://127.0.0.1:9/hook' }, ...config } as CronJobConfig;
  const result = readCronJob(id, full, { source: 'config', now, pastAt: 'warning', defaultTimezone: 'UTC' });
  if (!result.job) throw new Error(`test job ${id} does not read: ${result.diagnostics.map((d) => d.message).join('; ')}`);
  return result.job;
}

export interface ExecutedRun extends RunContext {
  /** When the attempt started, by the test clock. */
  readonly startedAt: number;
}

/**
 * An executor that records each attempt and answers with `behave` (default: ok). `behave` may
 * wait on test-controlled promises or on the test clock.
 */
export class RecordingExecutor implements JobExecutor {
  readonly calls: ExecutedRun[] = [];
  readonly signals: AbortSignal[] = [];

  constructor(
    private readonly clock: { now(): number },
    private readonly behave: (run: RunContext, signal: AbortSignal) => Promise<ExecutionResult> | ExecutionResult = () => ({ status: 'ok', output: 'done' }),
    readonly retryOnTimeout = false,
  ) {}

  async execute(_job: CronJob, run: RunContext, signal: AbortSignal): Promise<ExecutionResult> {
    this.calls.push({ ...run, startedAt: this.clock.now() });
    this.signals.push(signal);
    return this.behave(run, signal);
  }

  /** Slots executed for a job, in order. */
  slots(jobId?: string): number[] {
    return this.calls.filter((c) => jobId === undefined || c.jobId === jobId).map((c) => c.scheduledAt);
  }
}

/** The same executor for every job type. */
export function allTypes(executor: JobExecutor): JobExecutors {
  return { webhook: executor, agent_turn: executor, heartbeat: executor, system_event: executor } as JobExecutors;
}

/** A promise settled from outside. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A migrated SQLite file, and a way to open more connections to it. */
export async function sqliteDatabase(): Promise<{ file: string; db: TestSqlClient; connect(): TestSqlClient }> {
  const file = join(tempDir(), 'cron.db');
  const connect = () => {
    const client = openSqliteClient(file);
    onCleanup(() => client.close());
    return client;
  };
  const db = connect();
  await migrateCron(db);
  return { file, db, connect };
}

export interface TestScheduler {
  readonly scheduler: CronScheduler;
  readonly logger: MemoryLogger;
}

/** A scheduler on the test clock, settled after every timer, stopped after the test. */
export function testScheduler(options: Omit<CronSchedulerOptions, 'clock' | 'timers' | 'logger'> & { readonly time: ManualTime }): TestScheduler {
  const logger = new MemoryLogger();
  const { time, ...rest } = options;
  const scheduler = new CronScheduler({ clock: time, timers: time, logger, ...rest });
  time.onSettle(() => scheduler.idle());
  onCleanup(async () => {
    const stopping = scheduler.stop(0);
    await time.advance(0);
    await stopping;
  });
  return { scheduler, logger };
}

/** A job's history, oldest first. */
export async function history(db: SqlClient, jobId: string): Promise<RunRecord[]> {
  return (await new RunHistory(db).runs(jobId, 10_000)).reverse();
}

export { ManualTime };
