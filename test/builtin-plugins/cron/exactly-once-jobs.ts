import { readCronJob, type CronJob } from '../../../src/builtin-plugins/cron/config/index.js';

export const RACE_RUNS = 100;

/** 100 one-shot jobs due 10 ms apart from `firstAt`, seen first at `createdAt` (before they are due). */
export function raceJobs(firstAt: number, createdAt: number): CronJob[] {
  return Array.from({ length: RACE_RUNS }, (_, i) => {
    const at = new Date(firstAt + i * 10).toISOString();
    const result = readCronJob(`race-${String(i).padStart(3, '0')}`, { type: 'webhook', schedule: { at }, webhook: { url: 'http://127.0.0.1:9/' }, misfire: { grace: '5m' } }, { source: 'config', now: createdAt, pastAt: 'error', defaultTimezone: 'UTC' });
    if (!result.job) throw new Error(result.diagnostics.map((d) => d.message).join('; '));
    return result.job;
  });
}
