import type { Clock, Logger } from '@nexus/plugin-sdk';
import type { CronJob } from '../config/index.js';
import { runId, type RunKey, type RunTransitions } from '../store/index.js';
import type { Activity } from './activity.js';
import type { RunLifecycle } from './run-lifecycle.js';

export interface RunRecoveryOptions {
  readonly transitions: RunTransitions;
  readonly lifecycle: RunLifecycle;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly activity: Activity;
  readonly job: (id: string) => CronJob | undefined;
}

/**
 * Runs that lost their process: interrupted by a shutdown that could not wait for them, or
 * abandoned by a process that died (their lease ran out). The misfire policy decides: run_once
 * runs such a run once more, if it is still the job's newest; skip leaves it recorded as
 * interrupted. Either way a run queued behind it gets started.
 */
export class RunRecovery {
  constructor(private readonly options: RunRecoveryOptions) {}

  /** At start: interrupted runs left by an earlier stop or crash. */
  async recoverInterrupted(): Promise<number> {
    const runs = await this.options.activity.track(this.options.transitions.recoverable());
    let recovered = 0;
    for (const run of runs) if (await this.settle(run)) recovered++;
    return recovered;
  }

  /** Runs whose lease ran out, on any process; returns how many were run again. */
  async expireLeases(): Promise<number> {
    const { transitions, clock, logger, activity } = this.options;
    const expired = await activity.track(transitions.expireLeases(clock.now()));
    let recovered = 0;
    for (const run of expired) {
      logger.warn('cron: a run was abandoned by its scheduler (its lease ran out); recorded as interrupted', { run: runId(run) });
      if (await this.settle(run)) recovered++;
    }
    return recovered;
  }

  /** Queued runs nobody is going to start (the run they waited for ended with its process). */
  async startOrphanedQueues(): Promise<void> {
    const jobs = await this.options.activity.track(this.options.transitions.orphanQueues());
    for (const jobId of jobs) await this.startQueued(jobId);
  }

  private async settle(run: RunKey): Promise<boolean> {
    const { transitions, lifecycle, clock, logger, activity } = this.options;
    const job = this.options.job(run.jobId);
    if (job !== undefined && job.misfire.policy === 'run_once') {
      const claimed = await activity.track(transitions.recover(run, clock.now(), lifecycle.leaseMs(job)));
      if (claimed !== undefined) {
        logger.info('cron: running an interrupted run once more (misfire.policy run_once)', { run: runId(run) });
        lifecycle.start(claimed, job);
        return true;
      }
    }
    await this.startQueued(run.jobId);
    return false;
  }

  private async startQueued(jobId: string): Promise<void> {
    const job = this.options.job(jobId);
    if (job === undefined) return;
    const { transitions, lifecycle, clock, activity } = this.options;
    const claimed = await activity.track(transitions.startQueued(jobId, clock.now(), lifecycle.leaseMs(job)));
    if (claimed !== undefined) lifecycle.start(claimed, job);
  }
}
