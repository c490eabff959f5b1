import type { Schedule, ScheduleSpec } from './schedule.js';

type EverySpec = Extract<ScheduleSpec, { kind: 'every' }>;

/**
 * Runs at anchor + k·interval for k = 0, 1, 2…: each run is computed from the anchor, never from
 * the previous run, so late or slow runs do not push the next ones back (no drift).
 */
export class EverySchedule implements Schedule {
  constructor(
    readonly spec: EverySpec,
    /** `spec.anchorMs`, or the job's creation time. */
    private readonly anchorMs: number,
  ) {}

  next(afterMs: number): number | undefined {
    if (afterMs < this.anchorMs) return this.anchorMs;
    return this.anchorMs + (Math.floor((afterMs - this.anchorMs) / this.spec.intervalMs) + 1) * this.spec.intervalMs;
  }

  latest(atMs: number): number | undefined {
    if (atMs < this.anchorMs) return undefined;
    return this.anchorMs + Math.floor((atMs - this.anchorMs) / this.spec.intervalMs) * this.spec.intervalMs;
  }

  count(fromMs: number, toMs: number, cap: number): number {
    const last = this.latest(toMs);
    if (last === undefined || last <= fromMs) return 0;
    const first = this.next(fromMs)!;
    return Math.min(cap, (last - first) / this.spec.intervalMs + 1);
  }
}
