import { formatDuration, formatElapsed } from '@nexus/plugin-sdk';
import type { CronJob } from '../config/index.js';
import { recentRuns, type Schedule } from '../schedule/index.js';
import type { MissedRun, RunKind } from '../store/index.js';

/** Missed runs recorded one by one per job and wake-up; older ones are summed up in the last of them. */
export const MISSED_ROWS_PER_JOB = 20;
/** Counting stops here: a cron expression is counted by stepping through its runs. */
export const MISSED_COUNT_CAP = 10_000;

/** What to do with a job whose time has come. */
export interface DuePlan {
  readonly jobId: string;
  /** The run to claim now: the newest due one, on time (up to grace late) or as run_once's catch-up. */
  readonly run?: { readonly scheduledAt: number; readonly kind: Extract<RunKind, 'schedule' | 'catch_up'> };
  /** Runs recorded as missed, newest first. */
  readonly missed: readonly MissedRun[];
  /** Every run up to here now has an outcome. */
  readonly accountedUntil: number;
  /** The job's next run after now; undefined when it has none (a one-shot that came). */
  readonly nextAt?: number;
}

/**
 * Decides what happens to the runs a job has due at `now` since `lastSlot` (the last run with an
 * outcome). Only the newest due run can run: it runs if it is at most `misfire.grace` late; a
 * later one is a misfire, which policy `skip` records as missed and `run_once` runs once as a
 * catch-up. Every older due run is recorded as missed. So downtime never fires a burst of
 * stale runs, and never drops one without a trace.
 */
export function planDue(job: CronJob, schedule: Schedule, lastSlot: number, now: number): DuePlan {
  const newest = schedule.latest(now);
  if (newest === undefined || newest <= lastSlot) {
    const nextAt = schedule.next(Math.max(lastSlot, now));
    return { jobId: job.id, missed: [], accountedUntil: lastSlot, ...(nextAt !== undefined ? { nextAt } : {}) };
  }
  const late = now - newest;
  const missed: MissedRun[] = [];
  let run: DuePlan['run'];
  if (late <= job.misfire.graceMs) {
    run = { scheduledAt: newest, kind: 'schedule' };
  } else if (job.misfire.policy === 'run_once') {
    run = { scheduledAt: newest, kind: 'catch_up' };
  } else {
    missed.push({
      jobId: job.id,
      scheduledAt: newest,
      reason: `the scheduler got to this run ${formatElapsed(late)} late, more than misfire.grace (${formatDuration(job.misfire.graceMs)}), and misfire.policy is skip`,
    });
  }
  const older = recentRuns(schedule, lastSlot, newest - 1, MISSED_ROWS_PER_JOB - missed.length);
  const olderReason = `no scheduler ran this job at this time; when one got to it, the run at ${new Date(newest).toISOString()} was due, and only the newest due run is considered`;
  for (const scheduledAt of older) missed.push({ jobId: job.id, scheduledAt, reason: olderReason });
  if (older.length > 0) {
    const total = schedule.count(lastSlot, newest - 1, MISSED_COUNT_CAP);
    const unlisted = total - older.length;
    if (unlisted > 0) {
      const last = missed.pop()!;
      const count = total >= MISSED_COUNT_CAP ? `at least ${unlisted}` : String(unlisted);
      missed.push({ ...last, reason: `${olderReason}; ${count} earlier runs since ${new Date(lastSlot).toISOString()} were missed too and are not listed one by one` });
    }
  }
  const nextAt = schedule.next(newest);
  return { jobId: job.id, ...(run ? { run } : {}), missed, accountedUntil: newest, ...(nextAt !== undefined ? { nextAt } : {}) };
}
