import { describe, expect, it } from 'vitest';
import { MINUTE, ManualTime, RecordingExecutor, SECOND, T0, allTypes, deferred, history, job, sqliteDatabase, testScheduler } from './cron-test-kit.js';

/** An executor whose runs each wait until the test releases them, in order. */
function heldRuns(time: ManualTime) {
  const gates: ReturnType<typeof deferred<void>>[] = [];
  const executor = new RecordingExecutor(time, async () => {
    const gate = deferred();
    gates.push(gate);
    await gate.promise;
    return { status: 'ok' as const };
  });
  return { executor, release: (index: number) => gates[index]!.resolve() };
}

describe('a run due while the previous one is still going', () => {
  it('is recorded as skipped with concurrency skip', async () => {
    const { db } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const { executor, release } = heldRuns(time);
    const { scheduler } = testScheduler({ db, time, executors: allTypes(executor) });
    await scheduler.start([job('slow', { schedule: { every: '1m' }, concurrency: 'skip' })]);
    await time.advance(2 * MINUTE);
    expect(executor.slots()).toEqual([T0 + MINUTE]);
    release(0);
    await time.advance(MINUTE);
    expect(executor.slots()).toEqual([T0 + MINUTE, T0 + 3 * MINUTE]);
    expect((await history(db, 'slow')).map((r) => [(r.scheduledAt - T0) / MINUTE, r.status, r.error])).toEqual([
      [1, 'ok', undefined],
      [2, 'skipped', 'the previous run of the job was still going (concurrency skip)'],
      [3, 'running', undefined],
    ]);
  });

  it('waits and starts as soon as the previous one ends with concurrency queue, one waiting at most', async () => {
    const { db } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const { executor, release } = heldRuns(time);
    const { scheduler } = testScheduler({ db, time, executors: allTypes(executor) });
    await scheduler.start([job('slow', { schedule: { every: '1m' }, concurrency: 'queue' })]);
    await time.advance(3 * MINUTE);
    expect(executor.slots()).toEqual([T0 + MINUTE]);
    await time.advance(10 * SECOND);
    release(0);
    await time.advance(0);
    // The queued run starts right away, late, with its own scheduled time.
    expect(executor.calls.map((c) => [c.scheduledAt, c.startedAt])).toEqual([
      [T0 + MINUTE, T0 + MINUTE],
      [T0 + 2 * MINUTE, T0 + 3 * MINUTE + 10 * SECOND],
    ]);
    release(1);
    await time.advance(MINUTE);
    expect((await history(db, 'slow')).map((r) => [(r.scheduledAt - T0) / MINUTE, r.status])).toEqual([
      [1, 'ok'],
      [2, 'ok'],
      [3, 'skipped'],
      [4, 'running'],
    ]);
  });

  it('is held back across processes too: the other scheduler does not start it', async () => {
    const { db, connect } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const a = heldRuns(time);
    const b = heldRuns(time);
    const one = testScheduler({ db, time, executors: allTypes(a.executor), instanceId: 'one' });
    const two = testScheduler({ db: connect(), time, executors: allTypes(b.executor), instanceId: 'two' });
    const slow = job('slow', { schedule: { every: '1m' }, concurrency: 'skip' });
    await one.scheduler.start([slow]);
    await two.scheduler.start([slow]);
    await time.advance(4 * MINUTE);
    expect([...a.executor.slots(), ...b.executor.slots()]).toEqual([T0 + MINUTE]);
    expect((await history(db, 'slow')).map((r) => r.status)).toEqual(['running', 'skipped', 'skipped', 'skipped']);
  });
});
