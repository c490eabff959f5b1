import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Tools } from '@nexus/plugin-sdk';
import { configFromData, Kernel, MemoryLogger } from '../../src/kernel/index.js';

/**
 * The echo example loaded the way an operator loads it: a real kernel, no built-ins, found through
 * `plugins.load.paths`. Its own tests (examples/plugins/echo/test) use only the SDK's kit.
 */
const pluginDir = join(import.meta.dirname, '../../examples/plugins/echo');
const examplesDir = join(pluginDir, '..');
const homes: string[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

function kernelWith(plugins: Record<string, unknown>): Kernel {
  const home = mkdtempSync(join(tmpdir(), 'nexus-echo-'));
  homes.push(home);
  return new Kernel({ config: configFromData({ plugins }), home, workspaceDir: home, builtinDirs: [], packageDirs: [], logger: new MemoryLogger() });
}

describe('the echo example in a kernel', () => {
  it('is found through a folder of plugin folders in plugins.load.paths and echoes with the configured prefix', async () => {
    const kernel = kernelWith({ load: { paths: [examplesDir] }, entries: { echo: { config: { prefix: '>> ' } } } });
    expect(kernel.list().find((p) => p.id === 'echo')).toMatchObject({ state: 'discovered', origin: 'config', enabled: true });
    const echo = await kernel.contributions.get(Tools, 'echo');
    expect(await echo.execute({ text: 'hi' }, undefined as never)).toEqual({ content: '>> hi' });
    expect(kernel.record('echo')!.state).toBe('active');
    await kernel.stop();
  });

  it('rejects a prefix of the wrong type when the config is read, quarantining only echo', () => {
    const kernel = kernelWith({ load: { paths: [pluginDir] }, entries: { echo: { config: { prefix: 42 } } } });
    expect(kernel.record('echo')).toMatchObject({ state: 'quarantined' });
    expect(kernel.record('echo')!.diagnostics[0]!.message).toBe('/plugins/entries/echo/config/prefix: expected string, found number 42');
  });
});
