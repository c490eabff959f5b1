/** A calendar day and wall-clock time in one time zone. */
export interface ZonedMoment {
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** `HH:MM:SS`, 24-hour. */
  readonly time: string;
}

/**
 * Wall-clock dates in one IANA zone. Holds its formatter, since making one costs far more than
 * using it and an entry is written on every turn.
 */
export class ZonedTime {
  private readonly format: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  at(epochMs: number): ZonedMoment {
    const parts: Record<string, string> = {};
    for (const part of this.format.formatToParts(epochMs)) parts[part.type] = part.value;
    return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}` };
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The calendar day `days` before `date` (both `YYYY-MM-DD`); calendar arithmetic, so DST changes do not matter. */
export function daysBefore(date: string, days: number): string {
  const match = DATE.exec(date);
  if (!match) throw new Error(`not a YYYY-MM-DD date: ${date}`);
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]) - days));
  return day.toISOString().slice(0, 10);
}

/** Whole days from `earlier` to `later` (`YYYY-MM-DD`); negative when `earlier` is after `later`. */
export function daysBetween(earlier: string, later: string): number {
  const parse = (d: string) => {
    const m = DATE.exec(d);
    if (!m) throw new Error(`not a YYYY-MM-DD date: ${d}`);
    return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  };
  return Math.round((parse(later) - parse(earlier)) / 86_400_000);
}

/** Whether `text` is a real calendar date in `YYYY-MM-DD` form (not 2026-02-30). */
export function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).toISOString().slice(0, 10) === text;
}
