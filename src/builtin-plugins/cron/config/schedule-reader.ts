import { canonicalTimeZone, hostTimeZone, parseCronExpression, parseIsoTime, staggerOffset, type ScheduleSpec } from '../schedule/index.js';
import { compileSchedule } from '../schedule/index.js';
import type { ScheduleConfig } from './cron-section.js';
import type { JobProblems } from './job-problems.js';

export interface ScheduleReadOptions {
  /** `user.timezone` when set; the host's time zone otherwise (the reader falls back to it too). */
  readonly defaultTimezone?: string;
  readonly now: number;
  /** How an `at` in the past is reported: an error when adding a job, a warning for a job already in the config (it may have run). */
  readonly pastAt: 'error' | 'warning';
}

const HOUR_MS = 3_600_000;

/** Reads `schedule`, reporting each problem at its own key; undefined when it cannot be used. */
export function readSchedule(jobId: string, raw: unknown, problems: JobProblems, options: ScheduleReadOptions): ScheduleSpec | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.error('cron.schedule.missing', '/schedule', `job "${jobId}" has no schedule`, 'add schedule: {cron: "0 9 * * *"}, {every: "15m"} or {at: "2027-01-05T09:00"}');
    return undefined;
  }
  const schedule = raw as ScheduleConfig;
  const kinds = (['cron', 'every', 'at'] as const).filter((kind) => schedule[kind] !== undefined);
  if (kinds.length === 0) {
    problems.error('cron.schedule.missing', '/schedule', `job "${jobId}" has a schedule without cron, every or at`, 'set exactly one of schedule.cron, schedule.every and schedule.at');
    return undefined;
  }
  if (kinds.length > 1) {
    problems.error('cron.schedule.ambiguous', `/schedule/${kinds[1]}`, `job "${jobId}" sets ${kinds.join(' and ')}; a schedule is exactly one of them`, `keep one of schedule.${kinds.join(', schedule.')} and remove the others`);
    return undefined;
  }
  const zone = readZone(schedule, problems, options);
  if (zone === undefined) return undefined;
  const kind = kinds[0]!;
  if (kind !== 'every' && schedule.anchor !== undefined) {
    problems.warning('cron.schedule.unused-key', '/schedule/anchor', `schedule.anchor only applies to every; job "${jobId}" uses ${kind}, so it is ignored`, 'remove schedule.anchor');
  }
  if (kind !== 'cron' && schedule.stagger !== undefined) {
    problems.warning('cron.schedule.unused-key', '/schedule/stagger', `schedule.stagger only applies to cron expressions; job "${jobId}" uses ${kind}, so it is ignored`, 'remove schedule.stagger');
  }
  if (kind === 'every' && schedule.timezone !== undefined && schedule.anchor === undefined) {
    problems.warning('cron.schedule.unused-key', '/schedule/timezone', `schedule.timezone does nothing for an every schedule without an anchor`, 'remove schedule.timezone, or set schedule.anchor to a local time it should apply to');
  }
  if (kind === 'cron') return readCron(jobId, String(schedule.cron), schedule, zone, problems, options);
  if (kind === 'every') return readEvery(jobId, schedule, zone, problems);
  return readAt(jobId, String(schedule.at), zone, problems, options);
}

function readZone(schedule: ScheduleConfig, problems: JobProblems, options: ScheduleReadOptions): string | undefined {
  const zone = schedule.timezone ?? options.defaultTimezone ?? hostTimeZone();
  const known = canonicalTimeZone(zone);
  if (known !== undefined) return known;
  const where = schedule.timezone !== undefined ? '/schedule/timezone' : '/schedule';
  const origin = schedule.timezone !== undefined ? 'schedule.timezone' : 'the default time zone (user.timezone)';
  const suggestion = similarZones(zone);
  problems.error(
    'cron.schedule.unknown-timezone',
    where,
    `${origin} "${zone}" is not an IANA time zone this runtime knows`,
    suggestion.length > 0 ? `did you mean ${suggestion.map((z) => `"${z}"`).join(' or ')}?` : 'use an IANA name such as Europe/Berlin, America/New_York or UTC',
  );
  return undefined;
}

function similarZones(zone: string): string[] {
  const wanted = zone.toLowerCase().replace(/[\s-]+/g, '_');
  const city = wanted.split('/').pop()!;
  return Intl.supportedValuesOf('timeZone').filter((z) => z.toLowerCase() === wanted || z.toLowerCase().split('/').pop() === city).slice(0, 3);
}

function readCron(jobId: string, expression: string, schedule: ScheduleConfig, zone: string, problems: JobProblems, options: ScheduleReadOptions): ScheduleSpec | undefined {
  const parsed = parseCronExpression(expression);
  if (!parsed.ok) {
    problems.error('cron.schedule.invalid-cron', '/schedule/cron', `"${expression}" is not a valid cron expression: ${parsed.reason}`, 'write 5 fields (minute hour day month weekday, e.g. "30 2 * * *"), 6 with seconds first ("0 30 2 * * *"), or @hourly, @daily, @weekly, @monthly, @yearly');
    return undefined;
  }
  let staggerMs = 0;
  if (schedule.stagger !== undefined) {
    const max = problems.duration('/schedule/stagger', schedule.stagger, undefined, 'schedule.stagger');
    if (max === undefined) return undefined;
    if (max > HOUR_MS) {
      problems.error('cron.schedule.stagger-too-long', '/schedule/stagger', `schedule.stagger is ${schedule.stagger}; a stagger over one hour would reorder hourly runs`, 'use at most 1h (5m is typical)');
      return undefined;
    }
    if (!parsed.topOfHour) {
      problems.warning('cron.schedule.unused-key', '/schedule/stagger', `"${expression}" does not run at the top of the hour, so schedule.stagger is ignored`, 'remove schedule.stagger, or use it with an expression at minute 0 such as "0 * * * *" or @daily');
    } else {
      staggerMs = staggerOffset(jobId, max);
    }
  }
  const spec: ScheduleSpec = { kind: 'cron', expression: expression.trim(), timezone: zone, staggerMs };
  if (compileSchedule(spec, options.now).next(options.now) === undefined) {
    problems.warning('cron.schedule.never-fires', '/schedule/cron', `"${expression}" has no run after now in ${zone}, so job "${jobId}" will never run`, 'check the day and month fields (e.g. "0 0 30 2 *" asks for February 30th) and any year field');
  }
  return spec;
}

function readEvery(jobId: string, schedule: ScheduleConfig, zone: string, problems: JobProblems): ScheduleSpec | undefined {
  const intervalMs = problems.duration('/schedule/every', schedule.every, undefined, 'schedule.every');
  if (intervalMs === undefined) return undefined;
  if (intervalMs < 1000) {
    problems.error('cron.schedule.every-too-short', '/schedule/every', `schedule.every is ${schedule.every}; job "${jobId}" would run more than once a second`, 'use 1s or more');
    return undefined;
  }
  if (schedule.anchor === undefined) return { kind: 'every', intervalMs };
  const anchor = parseIsoTime(String(schedule.anchor), zone);
  if (!anchor.ok) {
    problems.error('cron.schedule.invalid-time', '/schedule/anchor', `schedule.anchor: ${anchor.reason}`, 'write an ISO 8601 time such as 2027-01-05T09:00 (read in schedule.timezone) or 2027-01-05T09:00:00Z');
    return undefined;
  }
  return { kind: 'every', intervalMs, anchorMs: anchor.ms };
}

function readAt(jobId: string, text: string, zone: string, problems: JobProblems, options: ScheduleReadOptions): ScheduleSpec | undefined {
  const at = parseIsoTime(text, zone);
  if (!at.ok) {
    problems.error('cron.schedule.invalid-time', '/schedule/at', `schedule.at: ${at.reason}`, 'write an ISO 8601 time such as 2027-01-05T09:00 (read in schedule.timezone) or 2027-01-05T09:00:00Z');
    return undefined;
  }
  if (at.ms <= options.now) {
    problems.add(
      options.pastAt,
      'cron.schedule.at-past',
      '/schedule/at',
      `schedule.at "${text}" (${new Date(at.ms).toISOString()}) has passed, so one-shot job "${jobId}" will not run again`,
      'move schedule.at into the future, or remove the job if it already ran',
    );
    if (options.pastAt === 'error') return undefined;
  }
  return { kind: 'at', atMs: at.ms };
}
