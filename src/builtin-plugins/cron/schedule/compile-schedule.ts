import { AtSchedule } from './at-schedule.js';
import { CronSchedule, type CronCache } from './cron-schedule.js';
import { EverySchedule } from './every-schedule.js';
import type { Schedule, ScheduleSpec } from './schedule.js';

/**
 * A schedule for a job; `createdAt` anchors an `every` without an explicit anchor. A scheduler
 * holding many jobs passes its CronCache, so compiled expressions are shared and bounded.
 */
export function compileSchedule(spec: ScheduleSpec, createdAt: number, crons?: CronCache): Schedule {
  switch (spec.kind) {
    case 'cron':
      return new CronSchedule(spec, crons);
    case 'every':
      return new EverySchedule(spec, spec.anchorMs ?? createdAt);
    case 'at':
      return new AtSchedule(spec);
  }
}

/** The next `count` runs after `afterMs` (for `status` and `list`). */
export function upcomingRuns(schedule: Schedule, afterMs: number, count: number): number[] {
  const runs: number[] = [];
  let cursor = afterMs;
  while (runs.length < count) {
    const run = schedule.next(cursor);
    if (run === undefined) break;
    runs.push(run);
    cursor = run;
  }
  return runs;
}
