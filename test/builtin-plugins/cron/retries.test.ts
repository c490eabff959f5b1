import { describe, expect, it } from 'vitest';
import { CronRunError, type ExecutionResult } from '../../../src/builtin-plugins/cron/executors/index.js';
import { MINUTE, ManualTime, RecordingExecutor, SECOND, T0, allTypes, history, job, sqliteDatabase, testScheduler } from './cron-test-kit.js';

/** Runs a job due once, at T0 + 1 minute (09:01 daily). */
async function runWith(behave: ConstructorParameters<typeof RecordingExecutor>[1], config: Omit<Parameters<typeof job>[1], 'schedule'>, retryOnTimeout = false) {
  const { db } = await sqliteDatabase();
  const time = new ManualTime(T0);
  const executor = new RecordingExecutor(time, behave, retryOnTimeout);
  const { scheduler } = testScheduler({ db, time, executors: allTypes(executor) });
  await scheduler.start([job('flaky', { schedule: { cron: '1 9 * * *' }, ...config })]);
  await time.advance(MINUTE);
  return { db, time, executor, rows: () => history(db, 'flaky') };
}

const transient: ExecutionResult = { status: 'error', error: 'upstream answered 503', transient: true };
const permanent: ExecutionResult = { status: 'error', error: 'upstream answered 404', transient: false };

describe('a failed attempt', () => {
  it('is retried with doubling backoff when transient, until it succeeds', async () => {
    let failures = 2;
    const { executor, time, rows } = await runWith(() => (failures-- > 0 ? transient : { status: 'ok', output: 'third time' }), { retries: { max: 3, backoff: '10s' } });
    expect(executor.calls.map((c) => c.attempt)).toEqual([1]);
    await time.advance(10 * SECOND);
    await time.advance(20 * SECOND);
    expect(executor.calls.map((c) => [c.attempt, c.startedAt - T0 - MINUTE, c.id])).toEqual([
      [1, 0, `flaky@${T0 + MINUTE}`],
      [2, 10 * SECOND, `flaky@${T0 + MINUTE}`],
      [3, 30 * SECOND, `flaky@${T0 + MINUTE}`],
    ]);
    expect((await rows()).map((r) => [r.status, r.attempt, r.output])).toEqual([['ok', 3, 'third time']]);
  });

  it('is not retried when permanent', async () => {
    const { executor, time, rows } = await runWith(() => permanent, { retries: { max: 3, backoff: '10s' } });
    await time.advance(10 * MINUTE);
    expect(executor.calls).toHaveLength(1);
    expect((await rows()).map((r) => [r.status, r.attempt, r.error])).toEqual([['error', 1, 'upstream answered 404']]);
  });

  it('fails for good once the retries are used up', async () => {
    const { executor, time, rows } = await runWith(() => transient, { retries: { max: 2, backoff: '1s' } });
    await time.advance(MINUTE);
    expect(executor.calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect((await rows()).map((r) => [r.status, r.attempt, r.error])).toEqual([['error', 3, 'upstream answered 503 (after 3 attempts)']]);
  });

  it('is classified by what the executor throws: CronRunError says, anything else is permanent', async () => {
    let calls = 0;
    const { executor, time, rows } = await runWith(
      () => {
        calls++;
        if (calls === 1) throw new CronRunError('rate limited', true);
        throw new Error('disk full');
      },
      { retries: { max: 5, backoff: '1s' } },
    );
    await time.advance(MINUTE);
    expect(executor.calls).toHaveLength(2);
    expect((await rows()).map((r) => [r.status, r.error])).toEqual([['error', 'disk full (after 2 attempts)']]);
  });
});

describe('an attempt that runs past the job timeout', () => {
  const hang = (_run: unknown, signal: AbortSignal) => new Promise<ExecutionResult>((resolve) => signal.addEventListener('abort', () => resolve({ status: 'error', error: 'aborted', transient: true })));

  it('is aborted (its signal fires) and recorded as an error, not retried by default', async () => {
    const { executor, time, rows } = await runWith(hang, { timeout: '5s', retries: { max: 2, backoff: '1s' } });
    await time.advance(5 * SECOND - 1);
    expect(executor.signals[0]!.aborted).toBe(false);
    await time.advance(1);
    expect(executor.signals[0]!.aborted).toBe(true);
    await time.advance(MINUTE);
    expect(executor.calls).toHaveLength(1);
    expect((await rows()).map((r) => [r.status, r.error])).toEqual([['error', 'the run did not finish within 5s (timeout)']]);
  });

  it('is retried when its executor says timeouts are worth retrying', async () => {
    const { executor, time, rows } = await runWith(hang, { timeout: '5s', retries: { max: 1, backoff: '1s' } }, true);
    await time.advance(MINUTE);
    expect(executor.calls.map((c) => c.attempt)).toEqual([1, 2]);
    expect((await rows()).map((r) => [r.status, r.error])).toEqual([['error', 'the run did not finish within 5s (timeout) (after 2 attempts)']]);
  });

  it('ends at the timeout even when the executor ignores its signal', async () => {
    const { time, rows } = await runWith(() => new Promise<ExecutionResult>(() => undefined), { timeout: '5s' });
    await time.advance(5 * SECOND);
    expect((await rows()).map((r) => r.status)).toEqual(['error']);
  });
});
