import { describe, expect, it } from 'vitest';
import { runChecks, type DoctorProgress } from '../../src/kernel/doctor/index.js';

describe('doctor check runner', () => {
  it('derives each status from the findings: errors fail, warnings warn, info is ok', async () => {
    const results = await runChecks([
      { group: 'g', id: 'bad', run: () => ({ findings: [{ level: 'info', message: 'fyi' }, { level: 'error', message: 'broken', hint: 'fix it' }] }) },
      { group: 'g', id: 'meh', run: () => ({ findings: [{ level: 'warning', message: 'odd' }] }) },
      { group: 'g', id: 'fine', run: async () => ({ findings: [{ level: 'info', message: 'all good' }] }) },
    ]);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['bad', 'fail'],
      ['meh', 'warn'],
      ['fine', 'ok'],
    ]);
    expect(results[0]!.findings[1]).toEqual({ level: 'error', message: 'broken', hint: 'fix it' });
    expect(results.every((r) => r.durationMs >= 0)).toBe(true);
  });

  it('fails a check that throws, with its message', async () => {
    const [result] = await runChecks([
      {
        group: 'checks',
        id: 'explodes',
        pluginId: 'acme',
        run() {
          throw new Error('database handle is closed');
        },
      },
    ]);
    expect(result).toMatchObject({ status: 'fail', pluginId: 'acme' });
    expect(result!.findings).toEqual([expect.objectContaining({ level: 'error', code: 'doctor.check-threw', message: 'the check threw: database handle is closed' })]);
  });

  it('fails a check that outlives its timeout, aborts its signal and goes on with the next', async () => {
    let signal: AbortSignal | undefined;
    const started = performance.now();
    const results = await runChecks(
      [
        { group: 'g', id: 'hangs', run: (ctx) => ((signal = ctx.signal), new Promise(() => undefined)) },
        { group: 'g', id: 'quick', timeoutMs: 1000, run: () => ({ findings: [] }) },
      ],
      { timeoutMs: 50 },
    );
    expect(performance.now() - started).toBeLessThan(2000);
    expect(results[0]).toMatchObject({ id: 'hangs', status: 'fail' });
    expect(results[0]!.findings[0]).toMatchObject({ code: 'doctor.check-timeout', message: 'the check did not finish within 50 ms and was stopped' });
    expect(signal?.aborted).toBe(true);
    expect(results[1]).toMatchObject({ id: 'quick', status: 'ok' });
  });

  it('passes the probe flag to each check and reports progress before each one', async () => {
    const seen: boolean[] = [];
    const progress: DoctorProgress[] = [];
    await runChecks(
      [
        { group: 'a', id: 'one', run: (ctx) => (seen.push(ctx.probe), { findings: [] }) },
        { group: 'b', id: 'two', run: (ctx) => (seen.push(ctx.probe), { findings: [] }) },
      ],
      { probe: true, onProgress: (p) => progress.push(p), done: 3, later: 1 },
    );
    expect(seen).toEqual([true, true]);
    expect(progress).toEqual([
      { group: 'a', id: 'one', index: 4, total: 6 },
      { group: 'b', id: 'two', index: 5, total: 6 },
    ]);
  });
});
