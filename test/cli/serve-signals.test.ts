import { afterEach, describe, expect, it } from 'vitest';
import { listenForServeSignals, type ServeSignals } from '../../src/cli/commands/serve-signals.js';

// Real signals to this test process (vitest runs each file in its own fork): with a handler
// missing, the signal's default action would end the fork and fail the file.
async function signal(name: NodeJS.Signals, until: () => boolean): Promise<void> {
  process.kill(process.pid, name);
  for (let i = 0; i < 100 && !until(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(until()).toBe(true);
}

describe('the signals nexus serve listens to', () => {
  let signals: ServeSignals | undefined;
  afterEach(() => signals?.close());

  it('holds a SIGHUP that comes before startup is done and reloads once for it when the reload is attached', async () => {
    signals = listenForServeSignals();
    let hangups = 0;
    process.once('SIGHUP', () => hangups++);
    await signal('SIGHUP', () => hangups === 1);

    let reloads = 0;
    signals.onReload(() => reloads++);
    expect(reloads).toBe(1);
    await signal('SIGHUP', () => reloads === 2);
  });

  it('settles stopRequested with the first stop signal and ignores SIGHUP from then on', async () => {
    signals = listenForServeSignals();
    let reloads = 0;
    signals.onReload(() => reloads++);
    let stoppedBy: string | undefined;
    void signals.stopRequested.then((name) => (stoppedBy = name));
    await signal('SIGTERM', () => stoppedBy !== undefined);
    expect(stoppedBy).toBe('SIGTERM');

    let hangups = 0;
    process.once('SIGHUP', () => hangups++);
    await signal('SIGHUP', () => hangups === 1);
    expect(reloads).toBe(0);
  });

  it('leaves no listener behind once closed', () => {
    const before = ['SIGHUP', 'SIGINT', 'SIGTERM'].map((name) => process.listenerCount(name));
    listenForServeSignals().close();
    expect(['SIGHUP', 'SIGINT', 'SIGTERM'].map((name) => process.listenerCount(name))).toEqual(before);
  });
});
