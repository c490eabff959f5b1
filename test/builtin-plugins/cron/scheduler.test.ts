import { describe, expect, it } from 'vitest';
import { plannedRuns } from '../../../src/builtin-plugins/cron/scheduler/index.js';
import { CronJobStore, JobRows } from '../../../src/builtin-plugins/cron/store/index.js';
import { HOUR, MINUTE, ManualTime, RecordingExecutor, SECOND, T0, allTypes, history, job, sqliteDatabase, testScheduler } from './cron-test-kit.js';

describe('the cron scheduler', () => {
  it('starts a run at its time, not before, and records its outcome', async () => {
    const { db } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const executor = new RecordingExecutor(time);
    const { scheduler } = testScheduler({ db, time, executors: allTypes(executor) });
    await scheduler.start([job('minutely', { schedule: { every: '1m' } })]);
    await time.advance(MINUTE - 1);
    expect(executor.calls).toEqual([]);
    await time.advance(1);
    expect(executor.calls).toEqual([{ id: `minutely@${T0 + MINUTE}`, jobId: 'minutely', scheduledAt: T0 + MINUTE, kind: 'schedule', attempt: 1, startedAt: T0 + MINUTE }]);
    await time.advance(2 * MINUTE);
    expect(executor.slots()).toEqual([T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE]);
    // How far it got, and its next run, are stored for other processes (`nexus cron list`), within a second.
    await time.advance(SECOND);
    expect((await new JobRows(db).bookkeeping()).get('minutely')).toMatchObject({ lastSlotAt: T0 + 3 * MINUTE, nextRunAt: T0 + 4 * MINUTE });
    expect((await history(db, 'minutely')).map((r) => [r.scheduledAt - T0, r.status, r.kind, r.attempt, r.output])).toEqual([
      [MINUTE, 'ok', 'schedule', 1, 'done'],
      [2 * MINUTE, 'ok', 'schedule', 1, 'done'],
      [3 * MINUTE, 'ok', 'schedule', 1, 'done'],
    ]);
  });

  it('keeps a single timer, for the earliest due job, however many jobs it holds', async () => {
    const { db } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const executor = new RecordingExecutor(time);
    const jobs = Array.from({ length: 2000 }, (_, i) => job(`job-${i}`, { schedule: { every: `${2 + (i % 50)}h` } }));
    jobs.push(job('soonest', { schedule: { every: '30m' } }));
    const { scheduler } = testScheduler({ db, time, executors: allTypes(executor), maxSleepMs: 10 * MINUTE });
    await scheduler.start(jobs);
    expect(time.timerCount).toBe(1);
    // Nothing due within the longest sleep: it wakes only for that.
    expect(time.nextTimerAt).toBe(T0 + 10 * MINUTE);
    await time.advance(10 * MINUTE);
    expect(time.timerCount).toBe(1);
    await time.advance(20 * MINUTE);
    expect(executor.slots()).toEqual([T0 + 30 * MINUTE]);
    // Once the run's bookkeeping is written (batched, a second later), one timer again.
    await time.advance(SECOND);
    expect(time.timerCount).toBe(1);
    expect(scheduler.jobs()).toHaveLength(2001);
  });

  it('re-arms its timer when jobs are added, changed and removed', async () => {
    const { db } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const executor = new RecordingExecutor(time);
    const { scheduler } = testScheduler({ db, time, executors: allTypes(executor), defaultTimezone: 'UTC' });
    await scheduler.start([job('daily', { schedule: { cron: '0 12 * * *' } })]);
    expect(time.nextTimerAt).toBe(T0 + MINUTE);
    const store = new CronJobStore({ db, clock: time, defaultTimezone: 'UTC', configJobIds: () => new Set(['daily']) });
    await store.add('soon', { type: 'webhook', schedule: { every: '20s' }, webhook: { url: 'http://127.0.0.1:9/' } });
    await scheduler.refreshStoredJobs();
    expect(time.timerCount).toBe(1);
    expect(time.nextTimerAt).toBe(T0 + 20 * SECOND);
    await store.update('soon', { type: 'webhook', schedule: { at: '2026-01-05T09:00:45Z' }, webhook: { url: 'http://127.0.0.1:9/' } });
    await scheduler.refreshStoredJobs();
    expect(time.nextTimerAt).toBe(T0 + 45 * SECOND);
    await store.remove('soon');
    await scheduler.refreshStoredJobs();
    expect(time.nextTimerAt).toBe(T0 + MINUTE);
    await scheduler.reloadConfig([job('daily', { schedule: { cron: '0 9 * * *' } }), job('other', { schedule: { every: '5s' } })]);
    expect(time.timerCount).toBe(1);
    expect(time.nextTimerAt).toBe(T0 + 5 * SECOND);
    await scheduler.reloadConfig([job('daily', { schedule: { cron: '0 9 * * *' } })]);
    await time.advance(3 * HOUR + MINUTE);
    expect(executor.slots('soon')).toEqual([]);
    expect(executor.slots('daily')).toEqual([]);
  });

  it('picks up a job another process stored, at its next wake-up', async () => {
    const { db, connect } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const executor = new RecordingExecutor(time);
    const { scheduler } = testScheduler({ db, time, executors: allTypes(executor), maxSleepMs: MINUTE });
    await scheduler.start([]);
    const cli = new CronJobStore({ db: connect(), clock: time, defaultTimezone: 'UTC', configJobIds: () => new Set() });
    await cli.add('from-cli', { type: 'webhook', schedule: { every: '90s' }, webhook: { url: 'http://127.0.0.1:9/' } });
    await time.advance(MINUTE);
    expect(scheduler.jobs().map((j) => [j.job.id, j.nextRunAt])).toEqual([['from-cli', T0 + 90 * SECOND]]);
    await time.advance(30 * SECOND);
    expect(executor.slots()).toEqual([T0 + 90 * SECOND]);
  });

  it('accounts for every run after the machine was suspended, without a burst', async () => {
    const { db } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const executor = new RecordingExecutor(time);
    const { scheduler, logger } = testScheduler({ db, time, executors: allTypes(executor), maxSleepMs: HOUR });
    await scheduler.start([job('tenminutes', { schedule: { every: '10m' }, misfire: { policy: 'skip', grace: '1m' } })]);
    await time.advance(5 * MINUTE);
    // Suspended for two hours and three minutes: the wall clock jumps, the timer's remaining
    // 5 minutes do not count down, so it fires 3 minutes after the run at 2h10m.
    time.jump(2 * HOUR + 3 * MINUTE);
    await time.advance(5 * MINUTE);
    expect(executor.calls).toEqual([]);
    const runs = await history(db, 'tenminutes');
    expect(runs.map((r) => [r.scheduledAt - T0, r.status])).toEqual(Array.from({ length: 13 }, (_, i) => [(i + 1) * 10 * MINUTE, 'missed']));
    expect(runs.at(-1)!.error).toBe('the scheduler got to this run 3m late, more than misfire.grace (1m), and misfire.policy is skip');
    expect(logger.entries.some((e) => /woke \d+ ms late by the wall clock/.test(e.msg))).toBe(true);
    // And then it carries on at the next run.
    await time.advance(7 * MINUTE);
    expect(executor.slots()).toEqual([T0 + 140 * MINUTE]);
  });

  it('never runs a run twice when the clock steps back', async () => {
    const { db } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const executor = new RecordingExecutor(time);
    const { scheduler } = testScheduler({ db, time, executors: allTypes(executor), maxSleepMs: MINUTE });
    await scheduler.start([job('tenminutes', { schedule: { every: '10m' } })]);
    await time.advance(25 * MINUTE);
    expect(executor.slots()).toEqual([T0 + 10 * MINUTE, T0 + 20 * MINUTE]);
    time.jump(-HOUR);
    await time.advance(HOUR + 10 * MINUTE);
    expect(executor.slots()).toEqual([T0 + 10 * MINUTE, T0 + 20 * MINUTE, T0 + 30 * MINUTE]);
  });

  it('runs a job on demand, claimed like any run', async () => {
    const { db } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const executor = new RecordingExecutor(time);
    const { scheduler } = testScheduler({ db, time, executors: allTypes(executor) });
    await scheduler.start([job('daily', { schedule: { cron: '0 12 * * *' } })]);
    await time.advance(7 * SECOND);
    expect(await scheduler.trigger('daily')).toEqual({ outcome: 'running', scheduledAt: T0 + 7 * SECOND });
    expect(await scheduler.trigger('nope')).toEqual({ outcome: 'unknown-job' });
    await time.advance(0);
    expect(executor.calls.map((c) => [c.kind, c.scheduledAt])).toEqual([['manual', T0 + 7 * SECOND]]);
    expect((await history(db, 'daily')).map((r) => [r.kind, r.status])).toEqual([['manual', 'ok']]);
    expect(scheduler.nextRuns('daily', 2)).toEqual([Date.UTC(2026, 0, 5, 12), Date.UTC(2026, 0, 6, 12)]);
    // A process without a scheduler (the CLI) works the same out from the stored bookkeeping.
    const row = (await new JobRows(db).bookkeeping()).get('daily')!;
    expect(plannedRuns(job('daily', { schedule: { cron: '0 12 * * *' } }), row, time.now(), 2)).toEqual(scheduler.nextRuns('daily', 2));
  });

  it('keeps a disabled job without running it, and counts nothing missed while it was off', async () => {
    const { db } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const executor = new RecordingExecutor(time);
    const { scheduler } = testScheduler({ db, time, executors: allTypes(executor) });
    await scheduler.start([job('j', { schedule: { every: '1m' }, enabled: false })]);
    await time.advance(30 * MINUTE);
    expect(executor.calls).toEqual([]);
    await scheduler.reloadConfig([job('j', { schedule: { every: '1m' }, enabled: true })]);
    await time.advance(MINUTE);
    expect(executor.slots()).toEqual([T0 + 31 * MINUTE]);
    expect((await history(db, 'j')).map((r) => r.status)).toEqual(['ok']);
  });
});
