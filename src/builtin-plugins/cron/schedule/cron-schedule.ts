import { Cron, CronPattern } from 'croner';
import { countBySteps, type Schedule, type ScheduleSpec } from './schedule.js';

type CronSpec = Extract<ScheduleSpec, { kind: 'cron' }>;

export type CronParseResult = { readonly ok: true; readonly topOfHour: boolean } | { readonly ok: false; readonly reason: string };

/**
 * Checks an expression the way the schedule will read it. `topOfHour` says whether every run is
 * at minute 0 second 0, the runs a stagger spreads out.
 */
export function parseCronExpression(expression: string): CronParseResult {
  try {
    const pattern = new CronPattern(expression.trim());
    const only = (field: readonly number[], index: number) => field[index] === 1 && field.filter((bit) => bit !== 0).length === 1;
    return { ok: true, topOfHour: only(pattern.second, 0) && only(pattern.minute, 0) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message.replace(/^CronPattern: /, '') };
  }
}

/**
 * Compiled expressions, shared by the jobs that use the same one. A compiled croner pattern holds
 * some 80 KB (a table of 10,000 years), so 10,000 jobs cannot each keep theirs: this keeps the
 * most recently used ones, and the rest are compiled again when next asked (a fraction of a
 * millisecond, once per run).
 */
export class CronCache {
  private readonly entries = new Map<string, Cron>();

  constructor(private readonly capacity = 32) {}

  get(expression: string, timezone: string): Cron {
    const key = `${timezone} ${expression}`;
    let cron = this.entries.get(key);
    if (cron !== undefined) {
      this.entries.delete(key);
    } else {
      cron = new Cron(expression, { timezone });
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(key, cron);
    return cron;
  }
}

/**
 * A cron expression in an IANA time zone, evaluated by croner. Across DST changes croner treats an
 * expression with one fixed second, minute and hour (`30 2 * * *`) as a wall-clock appointment:
 * in a spring-forward gap it runs at the first valid time after it (03:00), and on a fall-back day
 * it runs once, at the first 02:30. Other expressions (`*\/30 * * * *`) follow elapsed time: they
 * skip times in the gap and run at both 02:30s. A stagger shifts every run by a fixed offset.
 */
export class CronSchedule implements Schedule {
  constructor(
    readonly spec: CronSpec,
    /** Without one, each lookup compiles the expression afresh. */
    private readonly cache?: CronCache,
  ) {}

  next(afterMs: number): number | undefined {
    return this.nextWith(this.cron(), afterMs);
  }

  latest(atMs: number): number | undefined {
    // previousRuns is strict, and counts a run within the reference's second as before it.
    const [run] = this.cron().previousRuns(1, new Date(atMs - this.spec.staggerMs + 1));
    return run === undefined ? undefined : run.getTime() + this.spec.staggerMs;
  }

  count(fromMs: number, toMs: number, cap: number): number {
    const cron = this.cron();
    return countBySteps({ next: (after) => this.nextWith(cron, after) }, fromMs, toMs, cap);
  }

  private nextWith(cron: Cron, afterMs: number): number | undefined {
    const run = cron.nextRun(new Date(afterMs - this.spec.staggerMs));
    return run === null ? undefined : run.getTime() + this.spec.staggerMs;
  }

  private cron(): Cron {
    const expression = this.spec.expression.trim();
    return this.cache ? this.cache.get(expression, this.spec.timezone) : new Cron(expression, { timezone: this.spec.timezone });
  }
}
