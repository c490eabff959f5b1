import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock, Logger } from '@nexus/plugin-sdk';
import type { CronJob } from '../config/index.js';
import type { JobExecutors } from '../executors/index.js';
import { claimRuns, keyOf, RunHistory, RunTransitions, type ClaimOutcome, type RunRecord, type SqlClient } from '../store/index.js';
import { SYSTEM_TIMERS, type Timers } from '../time/index.js';
import { Activity } from './activity.js';
import { OutcomeWriter } from './outcome-writer.js';
import { RunLifecycle } from './run-lifecycle.js';

export interface ManualRunOptions {
  readonly db: SqlClient;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly executors: JobExecutors;
  readonly timers?: Timers;
  readonly instanceId?: string;
  readonly leaseMarginMs?: number;
}

export interface ManualRunResult {
  /** `running` when this process ran it; `skipped` or `queued` per the job's concurrency policy. */
  readonly outcome: ClaimOutcome;
  readonly scheduledAt: number;
  /** The run's row once it ended (or as the claim left it). */
  readonly record?: RunRecord;
}

/**
 * Runs one job now in this process, without a scheduler (`nexus cron run <id> --now`): claimed in
 * the database like any run, so a run of the job going on in a server follows the job's
 * concurrency policy, driven to its outcome with the job's timeout and retries, and recorded in
 * the history. Resolves when the run ended.
 */
export async function runJobNow(options: ManualRunOptions, job: CronJob): Promise<ManualRunResult> {
  const { db, clock, logger, executors } = options;
  const timers = options.timers ?? SYSTEM_TIMERS;
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}:cli-${randomUUID().slice(0, 8)}`;
  const activity = new Activity();
  const lifecycle = new RunLifecycle({
    transitions: new RunTransitions(db, instanceId),
    outcomes: new OutcomeWriter(db, instanceId),
    executors,
    clock,
    timers,
    logger,
    activity,
    // A queued run of the job that waits behind this one is left to the schedulers.
    job: () => undefined,
    leaseMarginMs: options.leaseMarginMs ?? 30_000,
  });
  const skipReason = job.concurrency === 'queue' ? 'the previous run of the job was still going and another run was already waiting' : 'the previous run of the job was still going (concurrency skip)';
  // A run id is (job, ms): step past a scheduled run that has the very same millisecond.
  for (let offset = 0; ; offset++) {
    const scheduledAt = clock.now() + offset;
    const request = { jobId: job.id, scheduledAt, kind: 'manual' as const, concurrency: job.concurrency, leaseMs: lifecycle.leaseMs(job), skipReason };
    const outcome = (await claimRuns(db, [request], instanceId, clock.now())).get(keyOf(request))!;
    if (outcome === 'lost' && offset < 2) continue;
    if (outcome === 'running') {
      lifecycle.start({ jobId: job.id, scheduledAt, kind: 'manual', attempt: 1, recoveries: 0 }, job);
      await lifecycle.settled();
      await activity.idle();
    }
    const record = await new RunHistory(db).run(job.id, scheduledAt);
    return { outcome, scheduledAt, ...(record ? { record } : {}) };
  }
}
