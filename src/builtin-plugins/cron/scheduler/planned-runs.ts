import type { CronJob } from '../config/index.js';
import { compileSchedule, upcomingRuns } from '../schedule/index.js';
import type { JobBookkeeping } from '../store/index.js';

/**
 * A job's next `count` runs (UTC ms) from its definition and bookkeeping row, the way a scheduler
 * would run them: for `nexus cron status` in a process without a scheduler. Empty when disabled.
 */
export function plannedRuns(job: CronJob, row: Pick<JobBookkeeping, 'createdAt' | 'lastSlotAt'>, now: number, count: number): number[] {
  if (!job.enabled) return [];
  return upcomingRuns(compileSchedule(job.schedule, row.createdAt), Math.max(row.lastSlotAt, now), count);
}
