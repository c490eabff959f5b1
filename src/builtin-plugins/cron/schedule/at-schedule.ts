import type { Schedule, ScheduleSpec } from './schedule.js';

type AtSpec = Extract<ScheduleSpec, { kind: 'at' }>;

/** One run at a fixed instant. */
export class AtSchedule implements Schedule {
  constructor(readonly spec: AtSpec) {}

  next(afterMs: number): number | undefined {
    return afterMs < this.spec.atMs ? this.spec.atMs : undefined;
  }

  latest(atMs: number): number | undefined {
    return atMs >= this.spec.atMs ? this.spec.atMs : undefined;
  }

  count(fromMs: number, toMs: number, cap: number): number {
    return fromMs < this.spec.atMs && this.spec.atMs <= toMs && cap > 0 ? 1 : 0;
  }
}
