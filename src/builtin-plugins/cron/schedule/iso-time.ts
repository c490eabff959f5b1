import { Cron } from 'croner';

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

export type IsoTimeResult = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly reason: string };

/**
 * An ISO 8601 date-time (`2027-01-05T09:00`, `2027-01-05 09:00:30`, `…Z`, `…+01:00`) as UTC ms.
 * Without an offset it is wall-clock time in `zone`. A time a DST change skips (02:30 on
 * spring-forward day) moves forward by the gap; a time that occurs twice means the first one.
 */
export function parseIsoTime(text: string, zone: string): IsoTimeResult {
  const match = ISO.exec(text.trim());
  if (!match) return { ok: false, reason: `"${text}" is not an ISO 8601 date and time such as 2027-01-05T09:00 or 2027-01-05T09:00:00Z` };
  const [, y, mo, d, h, mi, s = '0', frac = '', offset] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, reason: `"${text}" is not a real date and time (month 1-12, day within the month, hour 0-23, minute and second 0-59)` };
  }
  const millis = frac === '' ? 0 : Number(frac.padEnd(3, '0'));
  if (offset !== undefined) {
    const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s.padStart(2, '0')}.${String(millis).padStart(3, '0')}${normalizeOffset(offset)}`);
    return Number.isNaN(ms) ? { ok: false, reason: `"${text}" has an offset outside ±23:59` } : { ok: true, ms };
  }
  const local = `${y}-${mo}-${d}T${h}:${mi}:${s.padStart(2, '0')}`;
  const once = new Cron(local, { timezone: zone }).getOnce();
  if (once === null) return { ok: false, reason: `"${text}" could not be placed in time zone ${zone}` };
  return { ok: true, ms: once.getTime() + millis };
}

function normalizeOffset(offset: string): string {
  if (offset.toUpperCase() === 'Z') return 'Z';
  return offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
}
