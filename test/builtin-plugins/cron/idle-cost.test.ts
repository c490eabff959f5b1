import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import { runCommandLine } from '../../helpers/command-line.js';
import { cronKernel, serveReady, webhookReceiver } from './cron-plugin-kit.js';
import { ManualTime } from './manual-time.js';
import { MINUTE, T0 } from './test-basics.js';

/**
 * Which of the plugin's modules the test kernel loaded (it compiles a TypeScript plugin with
 * jiti, which keeps them in Node's module cache): the engine's entry, and the schedule modules,
 * the only ones that import croner.
 */
function loaded(): { engine: boolean; schedules: boolean } {
  const files = Object.keys(createRequire(import.meta.url).cache).map((f) => f.replaceAll('\\', '/'));
  return { engine: files.some((f) => f.endsWith('/cron/plugin/cron-engine-parts.ts')), schedules: files.some((f) => f.includes('/cron/schedule/')) };
}

describe('the cron plugin with no job', () => {
  it('loads none of its engine and holds no timer in a serving process; the first job loads it', async () => {
    const hook = await webhookReceiver();
    const time = new ManualTime(T0);
    const kernel = cronKernel({ time });
    await serveReady(kernel);
    await vi.waitFor(() => expect(kernel.logs.map((l) => l.msg)).toContain('cron: no jobs configured or stored; nothing to schedule (a job `nexus cron add` stores now is scheduled at the next start)'), { timeout: 10_000 });
    expect(loaded()).toEqual({ engine: false, schedules: false });
    expect(time.timerCount).toBe(0);
    await time.advance(10 * MINUTE);
    expect(time.timerCount).toBe(0);

    // `nexus cron add` (here in the same kernel, as from another process on the same database).
    expect((await runCommandLine(kernel, 'cron', ['add', 'soon', '--type', 'webhook', '--every', '5m', '--url', hook.url])).code).toBe(0);
    expect(loaded()).toEqual({ engine: true, schedules: true });
    // The documented tradeoff: nothing polls for it, so this server schedules it at its next start.
    await time.advance(10 * MINUTE);
    expect(hook.bodies).toEqual([]);
    expect(time.timerCount).toBe(0);
  });
});
