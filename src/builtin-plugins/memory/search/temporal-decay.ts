import { daysBetween } from '../daily-log/index.js';

/**
 * The factor a dated file's score is multiplied by: ½ per `halfLifeDays` of age, counted from the
 * date in its name to today. Evergreen files (MEMORY.md, undated files, evergreen paths) and
 * files without a date keep 1; a date in the future counts as today.
 */
export function decayFactor(fileDate: string | undefined, evergreen: boolean, today: string, halfLifeDays: number): number {
  if (evergreen || fileDate === undefined || halfLifeDays <= 0) return 1;
  const age = Math.max(0, daysBetween(fileDate, today));
  return 0.5 ** (age / halfLifeDays);
}
