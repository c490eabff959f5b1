import { parseDuration } from '@nexus/plugin-sdk';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock, Logger } from '@nexus/plugin-sdk';
import { CRON_DEFAULTS, type CronJob, type HistoryLimits } from '../config/index.js';
import type { JobExecutors } from '../executors/index.js';
import { upcomingRuns } from '../schedule/index.js';
import { claimRuns, CronJobStore, JobRows, keyOf, recordMissed, RunHistory, RunTransitions, type ClaimOutcome, type ClaimRequest, type SqlClient } from '../store/index.js';
import { SYSTEM_TIMERS, type TimerHandle, type Timers } from '../time/index.js';
import { Activity } from './activity.js';
import { JobLoader } from './job-loader.js';
import { JobTable, type ScheduledJob } from './job-table.js';
import { OutcomeWriter } from './outcome-writer.js';
import { planDue, type DuePlan } from './misfire-plan.js';
import { RunLifecycle, type DrainReport } from './run-lifecycle.js';
import { RunRecovery } from './run-recovery.js';
import { SlotCursor } from './slot-cursor.js';

export interface CronSchedulerOptions {
  readonly db: SqlClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly executors: JobExecutors;
  /** Node's timers by default; tests pass their own. */
  readonly timers?: Timers;
  /** This process in `claimed_by`; host, pid and a random suffix by default. */
  readonly instanceId?: string;
  readonly history?: HistoryLimits;
  /** `user.timezone` (stored jobs without a zone); the host's when absent. */
  readonly defaultTimezone?: string;
  /** Longest sleep: how soon a wall-clock jump, an abandoned run or a job added by another process is noticed. */
  readonly maxSleepMs?: number;
  /** Lease beyond a run's timeout before other processes take the run for abandoned. */
  readonly leaseMarginMs?: number;
  /** Wait before trying again when the database refused the runs' rows. */
  readonly retryDelayMs?: number;
  readonly pruneIntervalMs?: number;
}

export interface SchedulerJobView {
  readonly job: CronJob;
  /** UTC ms; undefined when the job is disabled or has no further run. */
  readonly nextRunAt?: number;
}

export type TriggerResult = { readonly outcome: ClaimOutcome; readonly scheduledAt: number } | { readonly outcome: 'unknown-job' | 'stopped' };

/**
 * The scheduler: one timer, armed for the earliest due job (or for `maxSleepMs`, whichever is
 * sooner), so an idle schedule of any size costs nothing between wake-ups. On each wake it takes
 * every job whose time has come, decides per job what is due (misfire policy), records missed
 * runs and claims the rest in the database in batches, and starts the runs it won.
 */
export class CronScheduler {
  readonly instanceId: string;
  private readonly options: Required<Omit<CronSchedulerOptions, 'defaultTimezone' | 'instanceId'>> & Pick<CronSchedulerOptions, 'defaultTimezone'>;
  private readonly activity = new Activity();
  private readonly table = new JobTable();
  private readonly loader: JobLoader;
  private readonly lifecycle: RunLifecycle;
  private readonly recovery: RunRecovery;
  private readonly cursor: SlotCursor;
  private readonly outcomes: OutcomeWriter;
  private configJobs: readonly CronJob[] = [];
  private state: 'new' | 'running' | 'stopped' = 'new';
  private timer: TimerHandle | undefined;
  private expectedWake = 0;
  private pass: Promise<void> | undefined;
  private passAgain = false;
  private notBefore = 0;
  private lastMaintenance = Number.NEGATIVE_INFINITY;
  private lastPrune = Number.NEGATIVE_INFINITY;

  constructor(options: CronSchedulerOptions) {
    this.instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.options = {
      timers: SYSTEM_TIMERS,
      history: { maxRunsPerJob: CRON_DEFAULTS.history.max_runs_per_job, maxAgeMs: parseDuration(CRON_DEFAULTS.history.max_age)! },
      maxSleepMs: 60_000,
      leaseMarginMs: 30_000,
      retryDelayMs: 5_000,
      pruneIntervalMs: 3_600_000,
      ...options,
    };
    const { db, clock, logger, executors, timers } = this.options;
    const job = (id: string) => this.table.get(id)?.job;
    const transitions = new RunTransitions(db, this.instanceId);
    this.outcomes = new OutcomeWriter(db, this.instanceId, () => this.pass !== undefined);
    this.lifecycle = new RunLifecycle({ transitions, outcomes: this.outcomes, executors, clock, timers, logger, activity: this.activity, job, leaseMarginMs: this.options.leaseMarginMs });
    this.recovery = new RunRecovery({ transitions, lifecycle: this.lifecycle, clock, logger, activity: this.activity, job });
    this.cursor = new SlotCursor(db, timers, this.activity, logger);
    const jobStore = new CronJobStore({ db, clock, configJobIds: () => new Set(this.configJobs.map((j) => j.id)), ...(options.defaultTimezone !== undefined ? { defaultTimezone: options.defaultTimezone } : {}) });
    this.loader = new JobLoader(new JobRows(db), jobStore, this.table, this.cursor, logger);
  }

  /**
   * Loads the config's and the database's jobs, recovers runs an earlier stop or crash left
   * behind, accounts for everything that fell due while no scheduler ran (misfire policy) and
   * arms the timer. Rejects when the database cannot be used.
   */
  async start(configJobs: readonly CronJob[]): Promise<{ readonly jobs: number; readonly recovered: number }> {
    if (this.state !== 'new') throw new Error(`the cron scheduler was already ${this.state === 'running' ? 'started' : 'stopped'}`);
    this.state = 'running';
    this.configJobs = configJobs;
    await this.activity.track(this.loadJobs(this.options.clock.now()));
    const recovered = await this.recovery.recoverInterrupted();
    await this.runPass();
    return { jobs: this.table.size, recovered };
  }

  /** The config changed: its jobs replace the previous ones (stored jobs stay). */
  async reloadConfig(configJobs: readonly CronJob[]): Promise<void> {
    this.configJobs = configJobs;
    await this.activity.track(this.loadJobs(this.options.clock.now()));
    this.arm();
  }

  /** Stored jobs changed in this process (CLI or tool): pick them up now rather than at the next wake-up. */
  async refreshStoredJobs(): Promise<void> {
    await this.activity.track(this.loadJobs(this.options.clock.now()));
    this.arm();
  }

  /** Stops the timer, lets runs finish within `drainMs`, and records the rest as interrupted. */
  async stop(drainMs = 10_000): Promise<DrainReport> {
    if (this.state !== 'running') return { finished: 0, interrupted: 0 };
    this.state = 'stopped';
    this.disarm();
    await this.pass;
    const report = await this.lifecycle.drain(drainMs);
    await this.cursor.flush();
    return report;
  }

  /** Runs a job now (`nexus cron run <id> --now`), claimed like any run. */
  async trigger(jobId: string): Promise<TriggerResult> {
    const entry = this.table.get(jobId);
    if (entry === undefined) return { outcome: 'unknown-job' };
    if (this.state !== 'running') return { outcome: 'stopped' };
    const { clock, db } = this.options;
    // A run id is (job, ms): step past a scheduled run that has the very same millisecond.
    for (let offset = 0; ; offset++) {
      const scheduledAt = clock.now() + offset;
      const request = this.claimRequest(entry, scheduledAt, 'manual');
      const outcome = (await this.activity.track(claimRuns(db, [request], this.instanceId, clock.now()))).get(keyOf(request))!;
      if (outcome !== 'lost' || offset === 2) {
        if (outcome === 'running') this.lifecycle.start({ jobId, scheduledAt, kind: 'manual', attempt: 1, recoveries: 0 }, entry.job);
        return { outcome, scheduledAt };
      }
    }
  }

  jobs(): SchedulerJobView[] {
    return [...this.table.all()].map((entry) => {
      const nextRunAt = this.table.queue.dueAt(entry.job.id);
      return nextRunAt === undefined ? { job: entry.job } : { job: entry.job, nextRunAt };
    });
  }

  /** A job's next `count` runs (UTC ms), for `status`. */
  nextRuns(jobId: string, count: number): number[] {
    const entry = this.table.get(jobId);
    if (entry === undefined || !entry.job.enabled) return [];
    return upcomingRuns(entry.schedule, Math.max(entry.lastSlot, this.options.clock.now()), count);
  }

  /** Settles once no pass and no database write of the scheduler is in flight. */
  idle(): Promise<void> {
    return this.activity.idle();
  }

  private loadJobs(now: number): Promise<void> {
    return this.loader.load(this.configJobs, now);
  }

  private runPass(): Promise<void> {
    if (this.pass) {
      this.passAgain = true;
      return this.pass;
    }
    this.pass = this.activity
      .track(this.passes())
      .catch((error: unknown) => this.options.logger.error('cron: a scheduling pass failed', { error: (error as Error).message }))
      .finally(() => {
        this.pass = undefined;
        this.outcomes.kick();
        this.arm();
      });
    return this.pass;
  }

  private async passes(): Promise<void> {
    do {
      this.passAgain = false;
      await this.onePass();
    } while (this.passAgain && this.state === 'running');
  }

  private async onePass(): Promise<void> {
    const { clock, db, logger } = this.options;
    const now = clock.now();
    await this.maintain(now);
    const due: { entry: ScheduledJob; dueAt: number; plan: DuePlan }[] = [];
    for (let top = this.table.queue.popDue(now); top !== undefined; top = this.table.queue.popDue(now)) {
      const entry = this.table.get(top.id);
      if (entry !== undefined) due.push({ entry, dueAt: top.dueAt, plan: planDue(entry.job, entry.schedule, entry.lastSlot, now) });
    }
    if (due.length === 0 && this.outcomes.waiting === 0) return;
    const requests = due.flatMap(({ entry, plan }) => (plan.run ? [this.claimRequest(entry, plan.run.scheduledAt, plan.run.kind)] : []));
    const missed = due.flatMap(({ plan }) => plan.missed);
    let outcomes = new Map<string, ClaimOutcome>();
    let settleOutcomes: ((committed: boolean) => void) | undefined;
    try {
      if (missed.length > 0) logger.warn(`cron: recording ${missed.length} missed run(s)`, { jobs: [...new Set(missed.map((m) => m.jobId))].slice(0, 20) });
      // One commit for the pass: the outcomes of runs that ended, the missed runs, the claims.
      await db.transaction(async (tx) => {
        settleOutcomes = await this.outcomes.writeWith(tx);
        await recordMissed(tx, missed, this.instanceId, now);
        outcomes = await claimRuns(tx, requests, this.instanceId, now);
      });
      settleOutcomes?.(true);
    } catch (error) {
      settleOutcomes?.(false);
      // Nothing is lost: the jobs stay due, and by the next try their runs may be misfires.
      for (const { entry, dueAt } of due) this.table.queue.set(entry.job.id, dueAt);
      this.notBefore = now + this.options.retryDelayMs;
      logger.error(`cron: could not record runs in the database; trying again in ${this.options.retryDelayMs} ms`, { error: (error as Error).message });
      return;
    }
    for (const { entry, plan } of due) {
      if (!this.table.settle(entry, plan)) continue;
      this.cursor.note(entry.job.id, entry.lastSlot, this.table.queue.dueAt(entry.job.id));
      if (!plan.run) continue;
      const outcome = outcomes.get(keyOf({ jobId: entry.job.id, scheduledAt: plan.run.scheduledAt }));
      if (outcome === 'running') this.lifecycle.start({ jobId: entry.job.id, scheduledAt: plan.run.scheduledAt, kind: plan.run.kind, attempt: 1, recoveries: 0 }, entry.job);
      else if (outcome === 'skipped') logger.info('cron: run skipped: the previous run of the job is still going', { job: entry.job.id, concurrency: entry.job.concurrency });
    }
  }

  /** At most once per `maxSleepMs`: abandoned runs, orphaned queues, jobs changed elsewhere, old history. */
  private async maintain(now: number): Promise<void> {
    if (now - this.lastMaintenance < this.options.maxSleepMs && now >= this.lastMaintenance) return;
    this.lastMaintenance = now;
    try {
      await this.recovery.expireLeases();
      await this.recovery.startOrphanedQueues();
      if (await this.loader.changed()) await this.loadJobs(now);
      if (now - this.lastPrune >= this.options.pruneIntervalMs || now < this.lastPrune) {
        this.lastPrune = now;
        const removed = await new RunHistory(this.options.db).prune(this.options.history, now);
        if (removed > 0) this.options.logger.debug(`cron: pruned ${removed} old run(s) from the history`);
      }
    } catch (error) {
      this.options.logger.warn('cron: maintenance failed; trying again at the next wake-up', { error: (error as Error).message });
    }
  }

  private claimRequest(entry: ScheduledJob, scheduledAt: number, kind: ClaimRequest['kind']): ClaimRequest {
    const { job } = entry;
    const skipReason =
      job.concurrency === 'queue'
        ? 'the previous run of the job was still going and another run was already waiting (concurrency queue keeps one waiting)'
        : 'the previous run of the job was still going (concurrency skip)';
    return { jobId: job.id, scheduledAt, kind, concurrency: job.concurrency, leaseMs: this.lifecycle.leaseMs(job), skipReason };
  }

  private arm(): void {
    this.disarm();
    if (this.state !== 'running') return;
    const now = this.options.clock.now();
    const top = this.table.queue.peek();
    let wakeAt = now + this.options.maxSleepMs;
    if (top !== undefined) wakeAt = Math.min(wakeAt, Math.max(top.dueAt, this.notBefore));
    this.expectedWake = wakeAt;
    this.timer = this.options.timers.setTimeout(() => this.wake(), Math.max(0, wakeAt - now));
  }

  private disarm(): void {
    if (this.timer !== undefined) this.options.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private wake(): void {
    this.timer = undefined;
    const drift = this.options.clock.now() - this.expectedWake;
    // A timer runs on the monotonic clock: waking far off means the wall clock jumped (NTP, a
    // manual change) or the machine slept. Due runs then follow the misfire policy as usual.
    if (Math.abs(drift) > 5_000) this.options.logger.info(`cron: woke ${Math.abs(drift)} ms ${drift > 0 ? 'late' : 'early'} by the wall clock (clock change or suspend); due runs follow their misfire policy`);
    void this.runPass();
  }
}
