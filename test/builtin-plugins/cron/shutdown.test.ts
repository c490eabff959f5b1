import { describe, expect, it } from 'vitest';
import type { ExecutionResult } from '../../../src/builtin-plugins/cron/executors/index.js';
import { MINUTE, ManualTime, RecordingExecutor, SECOND, T0, allTypes, deferred, history, job, sqliteDatabase, testScheduler } from './cron-test-kit.js';

const ignoresSignal = () => new Promise<ExecutionResult>(() => undefined);

describe('stopping with a run in flight', () => {
  it('lets the run finish within the drain deadline', async () => {
    const { db } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const gate = deferred();
    const executor = new RecordingExecutor(time, async () => {
      await gate.promise;
      return { status: 'ok', output: 'finished while draining' };
    });
    const { scheduler } = testScheduler({ db, time, executors: allTypes(executor) });
    await scheduler.start([job('work', { schedule: { every: '1m' } })]);
    await time.advance(MINUTE);
    const stopping = scheduler.stop(10 * SECOND);
    await time.advance(3 * SECOND);
    gate.resolve();
    expect(await stopping).toEqual({ finished: 1, interrupted: 0 });
    expect((await history(db, 'work')).map((r) => [r.status, r.output])).toEqual([['ok', 'finished while draining']]);
    // Nothing runs after stop.
    await time.advance(5 * MINUTE);
    expect(executor.calls).toHaveLength(1);
  });

  it('records it as interrupted when the deadline passes, aborting its signal', async () => {
    const { db } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const executor = new RecordingExecutor(time, ignoresSignal);
    const { scheduler } = testScheduler({ db, time, executors: allTypes(executor) });
    await scheduler.start([job('work', { schedule: { every: '1m' }, misfire: { policy: 'skip' } })]);
    await time.advance(MINUTE);
    const stopping = scheduler.stop(5 * SECOND);
    await time.advance(5 * SECOND);
    expect(await stopping).toEqual({ finished: 0, interrupted: 1 });
    expect(executor.signals[0]!.aborted).toBe(true);
    expect((await history(db, 'work')).map((r) => [r.status, r.error])).toEqual([['interrupted', 'the scheduler shut down before the run finished (drain deadline)']]);
  });

  it('interrupts a run waiting to retry at once, instead of waiting out its backoff', async () => {
    const { db } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const executor = new RecordingExecutor(time, () => ({ status: 'error', error: '503', transient: true }));
    const { scheduler } = testScheduler({ db, time, executors: allTypes(executor) });
    await scheduler.start([job('work', { schedule: { cron: '1 9 * * *' }, retries: { max: 3, backoff: '10m' } })]);
    await time.advance(MINUTE);
    const stopping = scheduler.stop(30 * SECOND);
    await time.advance(0);
    expect(await stopping).toEqual({ finished: 0, interrupted: 1 });
    expect((await history(db, 'work'))[0]).toMatchObject({ status: 'interrupted', error: 'the scheduler shut down while waiting to retry; last error: 503' });
  });

  for (const [policy, rerun] of [
    ['run_once', true],
    ['skip', false],
  ] as const) {
    it(`${rerun ? 'runs it once more' : 'leaves it interrupted'} at the next start with misfire policy ${policy}`, async () => {
      const { db, connect } = await sqliteDatabase();
      const definition = { schedule: { every: '1h' }, misfire: { policy } } as const;
      const time = new ManualTime(T0);
      const first = testScheduler({ db, time, executors: allTypes(new RecordingExecutor(time, ignoresSignal)) });
      await first.scheduler.start([job('work', definition)]);
      await time.advance(60 * MINUTE);
      const stopping = first.scheduler.stop(0);
      await time.advance(0);
      await stopping;

      const later = new ManualTime(T0 + 62 * MINUTE);
      const executor = new RecordingExecutor(later);
      const second = testScheduler({ db: connect(), time: later, executors: allTypes(executor) });
      expect(await second.scheduler.start([job('work', definition)])).toEqual({ jobs: 1, recovered: rerun ? 1 : 0 });
      await later.advance(0);
      expect(executor.calls.map((c) => [c.scheduledAt, c.attempt])).toEqual(rerun ? [[T0 + 60 * MINUTE, 2]] : []);
      expect((await history(db, 'work')).map((r) => [r.status, r.attempt, r.recoveries])).toEqual([rerun ? ['ok', 2, 1] : ['interrupted', 1, 0]]);
    });
  }

  it('runs an interrupted run again once only, so a run that kills its process cannot loop', async () => {
    const { db, connect } = await sqliteDatabase();
    const definition = { schedule: { every: '1h' }, misfire: { policy: 'run_once' } } as const;
    let time = new ManualTime(T0);
    for (const round of [0, 1, 2]) {
      const executor = new RecordingExecutor(time, ignoresSignal);
      const { scheduler } = testScheduler({ db: round === 0 ? db : connect(), time, executors: allTypes(executor) });
      await scheduler.start([job('work', definition)]);
      if (round === 0) await time.advance(60 * MINUTE);
      expect(executor.calls, `round ${round}`).toHaveLength(round < 2 ? 1 : 0);
      const stopping = scheduler.stop(0);
      await time.advance(0);
      await stopping;
      time = new ManualTime(time.now() + MINUTE);
    }
    expect((await history(db, 'work')).map((r) => [r.status, r.recoveries])).toEqual([['interrupted', 1]]);
  });

  it('is taken over by another process once the lease of a crashed one runs out', async () => {
    const { db, connect } = await sqliteDatabase();
    const definition = { schedule: { every: '1h' }, timeout: '2m', misfire: { policy: 'run_once' } } as const;
    // The crashed process: its clock is never moved again, so it never finishes or stops.
    const frozen = new ManualTime(T0);
    const crashed = testScheduler({ db, time: frozen, executors: allTypes(new RecordingExecutor(frozen, ignoresSignal)), instanceId: 'crashed' });
    await crashed.scheduler.start([job('work', definition)]);
    await frozen.advance(60 * MINUTE);

    const time = new ManualTime(T0 + 60 * MINUTE);
    const executor = new RecordingExecutor(time);
    const survivor = testScheduler({ db: connect(), time, executors: allTypes(executor), instanceId: 'survivor', maxSleepMs: MINUTE, leaseMarginMs: 30 * SECOND });
    await survivor.scheduler.start([job('work', definition)]);
    // The lease is the timeout plus the margin: 2m30s after the start.
    await time.advance(2 * MINUTE);
    expect(executor.calls).toEqual([]);
    await time.advance(MINUTE);
    expect(executor.calls.map((c) => [c.scheduledAt, c.attempt])).toEqual([[T0 + 60 * MINUTE, 2]]);
    expect((await history(db, 'work')).map((r) => [r.status, r.claimedBy, r.recoveries])).toEqual([['ok', 'survivor', 1]]);
  });
});
