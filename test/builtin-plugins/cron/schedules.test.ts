import { describe, expect, it } from 'vitest';
import { readCronJob } from '../../../src/builtin-plugins/cron/config/index.js';
import { compileSchedule, CronCache, parseIsoTime, recentRuns, staggerOffset, upcomingRuns, type ScheduleSpec } from '../../../src/builtin-plugins/cron/schedule/index.js';

const iso = (ms: number) => new Date(ms).toISOString();
const cron = (expression: string, timezone = 'UTC', staggerMs = 0) => compileSchedule({ kind: 'cron', expression, timezone, staggerMs }, 0);
const wall = (ms: number, zone: string) => new Date(ms).toLocaleString('sv-SE', { timeZone: zone });
const runsBetween = (spec: ScheduleSpec, from: string, to: string) => upcomingRuns(compileSchedule(spec, 0), Date.parse(from) - 1, 50).filter((ms) => ms < Date.parse(to));

describe('cron schedules', () => {
  it('reads five fields, six with seconds first, and descriptors', () => {
    const from = Date.parse('2026-01-05T09:00:00Z');
    expect(upcomingRuns(cron('*/15 * * * *'), from, 2).map(iso)).toEqual(['2026-01-05T09:15:00.000Z', '2026-01-05T09:30:00.000Z']);
    expect(upcomingRuns(cron('*/20 * * * * *'), from, 3).map(iso)).toEqual(['2026-01-05T09:00:20.000Z', '2026-01-05T09:00:40.000Z', '2026-01-05T09:01:00.000Z']);
    expect(upcomingRuns(cron('@hourly'), from, 1).map(iso)).toEqual(['2026-01-05T10:00:00.000Z']);
    expect(upcomingRuns(cron('@daily', 'Europe/Berlin'), from, 1).map(iso)).toEqual(['2026-01-05T23:00:00.000Z']);
    expect(upcomingRuns(cron('@weekly', 'America/New_York'), from, 1).map(iso)).toEqual(['2026-01-11T05:00:00.000Z']);
  });

  it('evaluates an expression in its time zone', () => {
    const from = Date.parse('2026-07-01T00:00:00Z');
    expect(iso(cron('0 9 * * *', 'Europe/Berlin').next(from)!)).toBe('2026-07-01T07:00:00.000Z');
    expect(iso(cron('0 9 * * *', 'America/New_York').next(from)!)).toBe('2026-07-01T13:00:00.000Z');
    expect(iso(cron('0 9 * * *', 'Asia/Kolkata').next(from)!)).toBe('2026-07-01T03:30:00.000Z');
  });

  it('finds the latest run at or before a time, and counts runs in a range', () => {
    const schedule = cron('*/10 * * * *');
    expect(iso(schedule.latest(Date.parse('2026-01-05T09:20:00Z'))!)).toBe('2026-01-05T09:20:00.000Z');
    expect(iso(schedule.latest(Date.parse('2026-01-05T09:29:59.999Z'))!)).toBe('2026-01-05T09:20:00.000Z');
    expect(schedule.count(Date.parse('2026-01-05T09:00:00Z'), Date.parse('2026-01-05T10:00:00Z'), 100)).toBe(6);
    expect(schedule.count(Date.parse('2026-01-05T09:00:00Z'), Date.parse('2026-01-05T10:00:00Z'), 4)).toBe(4);
    expect(recentRuns(schedule, Date.parse('2026-01-05T09:00:00Z'), Date.parse('2026-01-05T09:35:00Z'), 2).map(iso)).toEqual(['2026-01-05T09:30:00.000Z', '2026-01-05T09:20:00.000Z']);
  });

  it('share compiled expressions through a bounded cache, with the same answers', () => {
    const cache = new CronCache(2);
    expect(cache.get('0 9 * * *', 'UTC')).toBe(cache.get('0 9 * * *', 'UTC'));
    const first = cache.get('0 9 * * *', 'UTC');
    cache.get('0 10 * * *', 'UTC');
    cache.get('0 11 * * *', 'UTC');
    expect(cache.get('0 9 * * *', 'UTC')).not.toBe(first);
    const cached = compileSchedule({ kind: 'cron', expression: '30 2 * * *', timezone: 'Europe/Berlin', staggerMs: 0 }, 0, cache);
    const plain = cron('30 2 * * *', 'Europe/Berlin');
    const from = Date.parse('2026-03-27T00:00:00Z');
    expect(upcomingRuns(cached, from, 5)).toEqual(upcomingRuns(plain, from, 5));
  });

  it('says so when an expression never matches again', () => {
    expect(cron('0 0 30 2 *').next(Date.parse('2026-01-01T00:00:00Z'))).toBeUndefined();
  });

  describe('across daylight-saving changes', () => {
    // The hour that repeats on fall-back day: 02:00-03:00 in Berlin, 01:00-02:00 in New York.
    for (const [zone, spring, fall, repeated] of [
      ['Europe/Berlin', '2026-03-29', '2026-10-25', 2],
      ['America/New_York', '2026-03-08', '2026-11-01', 1],
    ] as const) {
      const dayRuns = (expression: string, day: string) => {
        const spec: ScheduleSpec = { kind: 'cron', expression, timezone: zone, staggerMs: 0 };
        return runsBetween(spec, `${day}T00:00:00Z`, `${day}T00:00:00Z`.replace(/T.*/, 'T23:59:59Z')).concat(runsBetween(spec, `${day}T23:59:59Z`, `${nextDay(day)}T12:00:00Z`));
      };
      const localOn = (runs: number[], day: string) => runs.map((ms) => wall(ms, zone)).filter((text) => text.startsWith(day));

      it(`runs a 02:30 job once, at 03:00, on spring-forward day in ${zone}`, () => {
        for (const expression of ['30 2 * * *', '0 30 2 * * *']) {
          expect(localOn(dayRuns(expression, spring), spring)).toEqual([`${spring} 03:00:00`]);
        }
        expect(localOn(dayRuns('30 2 * * *', nextDay(spring)), nextDay(spring))).toEqual([`${nextDay(spring)} 02:30:00`]);
      });

      it(`runs a 02:30 job once, not twice, on fall-back day in ${zone}`, () => {
        expect(localOn(dayRuns('30 2 * * *', fall), fall)).toEqual([`${fall} 02:30:00`]);
        // A job in the hour that happens twice runs at its first occurrence, on summer time.
        const expression = `30 ${repeated} * * *`;
        const runs = dayRuns(expression, fall).filter((ms) => wall(ms, zone).startsWith(fall));
        expect(runs.map((ms) => wall(ms, zone))).toEqual([`${fall} 0${repeated}:30:00`]);
        expect(wall(runs[0]! + 3_600_000, zone)).toBe(`${fall} 0${repeated}:30:00`);
      });

      it(`keeps an interval job on elapsed time through both changes in ${zone}`, () => {
        const every30 = (day: string) => {
          const spec: ScheduleSpec = { kind: 'cron', expression: '*/30 * * * *', timezone: zone, staggerMs: 0 };
          return runsBetween(spec, `${day}T00:00:00Z`, `${day}T12:00:00Z`);
        };
        for (const day of [spring, fall]) {
          const runs = every30(day);
          for (let i = 1; i < runs.length; i++) expect(runs[i]! - runs[i - 1]!).toBe(1_800_000);
        }
      });
    }
  });
});

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

describe('every schedules', () => {
  const created = Date.parse('2026-01-05T09:00:07Z');
  const every = compileSchedule({ kind: 'every', intervalMs: 15 * 60_000 }, created);

  it('runs at creation + k·interval', () => {
    expect(upcomingRuns(every, created, 3).map(iso)).toEqual(['2026-01-05T09:15:07.000Z', '2026-01-05T09:30:07.000Z', '2026-01-05T09:45:07.000Z']);
  });

  it('does not drift when a run starts late: the next one is still on the anchor grid', () => {
    const lateStart = Date.parse('2026-01-05T09:15:49Z');
    expect(iso(every.next(lateStart)!)).toBe('2026-01-05T09:30:07.000Z');
    // The 1000th run is exactly 1000 intervals after the anchor.
    expect(upcomingRuns(every, created, 1000).at(-1)).toBe(created + 1000 * 15 * 60_000);
  });

  it('counts its runs in a range exactly, however many', () => {
    const secondly = compileSchedule({ kind: 'every', intervalMs: 1000 }, 0);
    expect(secondly.count(0, 86_400_000, 1_000_000)).toBe(86_400);
    expect(every.count(created, created + 3_600_000, 100)).toBe(4);
    expect(every.count(created, created + 14 * 60_000, 100)).toBe(0);
  });

  it('counts from an explicit anchor, before or after creation', () => {
    const anchored = compileSchedule({ kind: 'every', intervalMs: 86_400_000, anchorMs: Date.parse('2026-01-01T06:00:00Z') }, created);
    expect(iso(anchored.next(created)!)).toBe('2026-01-06T06:00:00.000Z');
    expect(iso(anchored.latest(created)!)).toBe('2026-01-05T06:00:00.000Z');
    const future = compileSchedule({ kind: 'every', intervalMs: 3_600_000, anchorMs: Date.parse('2026-02-01T00:00:00Z') }, created);
    expect(iso(future.next(created)!)).toBe('2026-02-01T00:00:00.000Z');
    expect(future.latest(created)).toBeUndefined();
  });
});

describe('one-shot at schedules', () => {
  it('runs once, at its time', () => {
    const at = compileSchedule({ kind: 'at', atMs: Date.parse('2026-05-01T07:00:00Z') }, 0);
    expect(iso(at.next(Date.parse('2026-04-30T00:00:00Z'))!)).toBe('2026-05-01T07:00:00.000Z');
    expect(at.next(Date.parse('2026-05-01T07:00:00Z'))).toBeUndefined();
    expect(at.latest(Date.parse('2026-05-02T00:00:00Z'))).toBe(Date.parse('2026-05-01T07:00:00Z'));
  });

  it('reads ISO times with an offset, or as wall-clock time in the time zone', () => {
    expect(parseIsoTime('2026-05-01T09:00', 'Europe/Berlin')).toEqual({ ok: true, ms: Date.parse('2026-05-01T07:00:00Z') });
    expect(parseIsoTime('2026-05-01 09:00:30', 'America/New_York')).toEqual({ ok: true, ms: Date.parse('2026-05-01T13:00:30Z') });
    expect(parseIsoTime('2026-05-01T09:00:00Z', 'Europe/Berlin')).toEqual({ ok: true, ms: Date.parse('2026-05-01T09:00:00Z') });
    expect(parseIsoTime('2026-05-01T09:00:00.250+0200', 'UTC')).toEqual({ ok: true, ms: Date.parse('2026-05-01T07:00:00.250Z') });
    // In the spring-forward gap: moved forward by the gap; on fall-back: the first occurrence.
    expect(parseIsoTime('2026-03-29T02:30', 'Europe/Berlin')).toEqual({ ok: true, ms: Date.parse('2026-03-29T01:30:00Z') });
    expect(parseIsoTime('2026-10-25T02:30', 'Europe/Berlin')).toEqual({ ok: true, ms: Date.parse('2026-10-25T00:30:00Z') });
  });

  it('refuses dates that do not exist and text that is not a time', () => {
    for (const bad of ['2026-02-30T09:00', '2026-13-01T09:00', '2026-05-01T24:00', 'tomorrow', '2026-05-01']) {
      const parsed = parseIsoTime(bad, 'UTC');
      expect(parsed.ok, bad).toBe(false);
      expect(!parsed.ok && parsed.reason).toContain(bad);
    }
  });
});

describe('stagger', () => {
  it('gives each job the same offset every time, below the maximum, in whole seconds', () => {
    const offsets = Array.from({ length: 200 }, (_, i) => staggerOffset(`job-${i}`, 300_000));
    expect(offsets).toEqual(Array.from({ length: 200 }, (_, i) => staggerOffset(`job-${i}`, 300_000)));
    for (const offset of offsets) {
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(300_000);
      expect(offset % 1000).toBe(0);
    }
    // Spread out, not bunched: 200 jobs over 300 slots take many distinct ones.
    expect(new Set(offsets).size).toBeGreaterThan(100);
  });

  it('shifts every run of a top-of-hour job by its offset, in both directions of lookup', () => {
    const offset = staggerOffset('nightly-report', 300_000);
    const staggered = cron('0 * * * *', 'UTC', offset);
    const hour = Date.parse('2026-01-05T10:00:00Z');
    expect(staggered.next(hour - 3_600_000)).toBe(hour - 3_600_000 + offset + (offset === 0 ? 3_600_000 : 0));
    expect(staggered.latest(hour + offset)).toBe(hour + offset);
    expect(staggered.latest(hour + offset - 1)).toBe(hour - 3_600_000 + offset);
  });

  it('applies only to top-of-hour expressions, with a warning otherwise', () => {
    const read = (expression: string) => readCronJob('s', { type: 'webhook', webhook: { url: 'http://x/' }, schedule: { cron: expression, stagger: '5m' } }, { source: 'config', now: 0, pastAt: 'warning', defaultTimezone: 'UTC' });
    for (const topOfHour of ['0 * * * *', '@daily', '0 0 9 * * 1-5']) {
      const result = read(topOfHour);
      expect(result.diagnostics, topOfHour).toEqual([]);
      expect(result.job!.schedule).toMatchObject({ staggerMs: staggerOffset('s', 300_000) });
    }
    const result = read('*/5 * * * *');
    expect(result.job!.schedule).toMatchObject({ staggerMs: 0 });
    expect(result.diagnostics).toEqual([expect.objectContaining({ level: 'warning', code: 'cron.schedule.unused-key', source: { pointer: '/cron/jobs/s/schedule/stagger' } })]);
  });
});
