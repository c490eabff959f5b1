import { describe, expect, it } from 'vitest';
import type { CronJobConfig } from '../../../src/builtin-plugins/cron/config/index.js';
import { MISSED_ROWS_PER_JOB } from '../../../src/builtin-plugins/cron/scheduler/index.js';
import { HOUR, MINUTE, ManualTime, RecordingExecutor, SECOND, T0, allTypes, history, job, sqliteDatabase, testScheduler } from './cron-test-kit.js';

/**
 * A job every minute runs under one scheduler from T0 to T0+2m, then no scheduler runs until
 * `restartAt`, when a second one (another process) starts on the same database.
 */
async function downtime(misfire: CronJobConfig['misfire'], restartAt: number) {
  const { db, connect } = await sqliteDatabase();
  const definition = { schedule: { every: '1m' }, misfire };
  const before = new ManualTime(T0);
  const first = testScheduler({ db, time: before, executors: allTypes(new RecordingExecutor(before)) });
  await first.scheduler.start([job('minutely', definition, T0)]);
  await before.advance(2 * MINUTE + SECOND);
  const stopping = first.scheduler.stop(0);
  await before.advance(0);
  await stopping;
  const after = new ManualTime(restartAt);
  const executor = new RecordingExecutor(after);
  const second = testScheduler({ db: connect(), time: after, executors: allTypes(executor) });
  await second.scheduler.start([job('minutely', definition, restartAt)]);
  return { db, executor, after };
}

const statuses = async (db: Parameters<typeof history>[0]) => (await history(db, 'minutely')).map((r) => [(r.scheduledAt - T0) / MINUTE, r.status, r.kind]);

describe('runs that fell due while no scheduler ran', () => {
  it('with policy skip: are all recorded as missed, and none run', async () => {
    const { db, executor, after } = await downtime({ policy: 'skip', grace: '30s' }, T0 + 12 * MINUTE + 40 * SECOND);
    expect(executor.calls).toEqual([]);
    expect(await statuses(db)).toEqual([
      [1, 'ok', 'schedule'],
      [2, 'ok', 'schedule'],
      ...Array.from({ length: 10 }, (_, i) => [i + 3, 'missed', 'schedule']),
    ]);
    const rows = await history(db, 'minutely');
    expect(rows.at(-1)!.error).toBe('the scheduler got to this run 40s late, more than misfire.grace (30s), and misfire.policy is skip');
    expect(rows[2]!.error).toMatch(/^no scheduler ran this job at this time; when one got to it, the run at 2026-01-05T09:12:00.000Z was due/);
    // The schedule then carries on.
    await after.advance(20 * SECOND);
    expect(executor.slots()).toEqual([T0 + 13 * MINUTE]);
  });

  it('with policy run_once: run once, as one catch-up, and the rest are recorded as missed', async () => {
    const { db, executor } = await downtime({ policy: 'run_once', grace: '30s' }, T0 + 12 * MINUTE + 40 * SECOND);
    expect(executor.calls.map((c) => [c.scheduledAt, c.kind])).toEqual([[T0 + 12 * MINUTE, 'catch_up']]);
    expect(await statuses(db)).toEqual([
      [1, 'ok', 'schedule'],
      [2, 'ok', 'schedule'],
      ...Array.from({ length: 9 }, (_, i) => [i + 3, 'missed', 'schedule']),
      [12, 'ok', 'catch_up'],
    ]);
  });

  for (const policy of ['skip', 'run_once'] as const) {
    it(`run the newest one on time, with policy ${policy}, when the scheduler is back within grace`, async () => {
      const { db, executor } = await downtime({ policy, grace: '30s' }, T0 + 12 * MINUTE + 20 * SECOND);
      expect(executor.calls.map((c) => [c.scheduledAt, c.kind])).toEqual([[T0 + 12 * MINUTE, 'schedule']]);
      expect((await statuses(db)).filter(([, status]) => status === 'missed')).toHaveLength(9);
    });
  }

  it('after a long outage: record the newest runs one by one, sum up the rest, and still fire at most one', async () => {
    const { db, executor } = await downtime({ policy: 'run_once', grace: '1m' }, T0 + 3 * 24 * HOUR + 30 * SECOND);
    expect(executor.calls).toHaveLength(1);
    const missed = (await history(db, 'minutely')).filter((r) => r.status === 'missed');
    expect(missed).toHaveLength(MISSED_ROWS_PER_JOB);
    const slots = 3 * 24 * 60 - 2;
    expect(missed[0]!.error).toContain(`; ${slots - 1 - MISSED_ROWS_PER_JOB} earlier runs since 2026-01-05T09:02:00.000Z were missed too and are not listed one by one`);
  });

  it('count a one-shot whose time passed while down as missed with skip, and run it late with run_once', async () => {
    for (const [policy, expected] of [
      ['skip', 'missed'],
      ['run_once', 'ok'],
    ] as const) {
      const { db, connect } = await sqliteDatabase();
      const time = new ManualTime(T0);
      const first = testScheduler({ db, time, executors: allTypes(new RecordingExecutor(time)) });
      const oneShot = (now: number) => job('once', { schedule: { at: '2026-01-05T10:00:00Z' }, misfire: { policy } }, now);
      await first.scheduler.start([oneShot(T0)]);
      const stopping = first.scheduler.stop(0);
      await time.advance(0);
      await stopping;
      const later = new ManualTime(T0 + 5 * HOUR);
      const second = testScheduler({ db: connect(), time: later, executors: allTypes(new RecordingExecutor(later)) });
      await second.scheduler.start([oneShot(T0 + 5 * HOUR)]);
      expect((await history(db, 'once')).map((r) => [r.scheduledAt, r.status]), policy).toEqual([[Date.parse('2026-01-05T10:00:00Z'), expected]]);
      expect(second.scheduler.jobs()[0]!.nextRunAt).toBeUndefined();
    }
  });
});
