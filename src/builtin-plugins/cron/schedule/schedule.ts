/** When a job runs, in UTC milliseconds. `timezone` is resolved (never absent) once a job is read. */
export type ScheduleSpec =
  | { readonly kind: 'cron'; readonly expression: string; readonly timezone: string; readonly staggerMs: number }
  | { readonly kind: 'every'; readonly intervalMs: number; readonly anchorMs?: number }
  | { readonly kind: 'at'; readonly atMs: number };

/**
 * A compiled schedule: the instants a job runs at, as UTC milliseconds. Both lookups are pure, so
 * the scheduler can ask again after a restart or a clock jump and get the same slots.
 */
export interface Schedule {
  readonly spec: ScheduleSpec;
  /** The first run strictly after `afterMs`; undefined when there is none (a past one-shot, an expression that never matches again). */
  next(afterMs: number): number | undefined;
  /** The last run at or before `atMs`; undefined when there is none. */
  latest(atMs: number): number | undefined;
  /** How many runs fall in (fromMs, toMs], counting at most `cap`. */
  count(fromMs: number, toMs: number, cap: number): number;
}

/** Runs in (fromMs, toMs], newest first, at most `limit` of them. */
export function recentRuns(schedule: Schedule, fromMs: number, toMs: number, limit: number): number[] {
  const runs: number[] = [];
  let cursor = toMs;
  while (runs.length < limit) {
    const run = schedule.latest(cursor);
    if (run === undefined || run <= fromMs) break;
    runs.push(run);
    cursor = run - 1;
  }
  return runs;
}

/** Counting by stepping forward, for schedules without a closed form. */
export function countBySteps(schedule: Pick<Schedule, 'next'>, fromMs: number, toMs: number, cap: number): number {
  let count = 0;
  let cursor = fromMs;
  while (count < cap) {
    const run = schedule.next(cursor);
    if (run === undefined || run > toMs) break;
    count++;
    cursor = run;
  }
  return count;
}
