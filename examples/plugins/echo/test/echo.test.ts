import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Tools } from '@nexus/plugin-sdk';
import { configFromData, Kernel, MemoryLogger } from '../../../../src/kernel/index.js';
import { createTestKernel, verifyPluginContract } from '../../../../src/kernel/testing/index.js';
import { echoConfigSchema } from '../src/config-schema.js';

const pluginDir = join(import.meta.dirname, '..');
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

describe('echo example plugin', () => {
  it('loads through plugins.load.paths and echoes with the configured prefix', async () => {
    const kernel = kernelWith({ load: { paths: [examplesDir] }, entries: { echo: { config: { prefix: '>> ' } } } });
    expect(kernel.list().find((p) => p.id === 'echo')).toMatchObject({ state: 'discovered', origin: 'config', enabled: true });
    const echo = await kernel.contributions.get(Tools, 'echo');
    expect(await echo.execute({ text: 'hi' }, undefined as never)).toEqual({ content: '>> hi' });
    expect(kernel.record('echo')!.state).toBe('active');
    await kernel.stop();
  });

  it('defaults the prefix to an empty string', async () => {
    const kernel = kernelWith({ load: { paths: [pluginDir] } });
    const echo = await kernel.contributions.get(Tools, 'echo');
    expect((await echo.execute({ text: 'plain' }, undefined as never)).content).toBe('plain');
    await kernel.stop();
  });

  it('rejects a prefix of the wrong type, quarantining only echo', () => {
    const kernel = kernelWith({ load: { paths: [pluginDir] }, entries: { echo: { config: { prefix: 42 } } } });
    expect(kernel.record('echo')).toMatchObject({ state: 'quarantined' });
    expect(kernel.record('echo')!.diagnostics[0]!.message).toBe('/plugins/entries/echo/config/prefix: expected string, found number 42');
  });

  it('passes the plugin contract test kit', async () => {
    const report = await verifyPluginContract({ plugin: pluginDir, config: { prefix: '# ' } });
    expect(report).toEqual({ pluginId: 'echo', resolved: ['tools:echo'], problems: [] });
  });

  it('works in a test kernel with fake settings', async () => {
    await using test = createTestKernel({ plugin: pluginDir, config: { prefix: '~' } });
    const echo = await test.contributions.get(Tools, 'echo');
    expect((await echo.execute({ text: 'x' }, undefined as never)).content).toBe('~x');
    expect(test.summary().state).toBe('active');
  });

  it('types its config from the same schema its manifest declares (the type itself: test/sdk/config-from-schema.test.ts)', () => {
    const manifest = JSON.parse(readFileSync(join(pluginDir, 'nexus.plugin.json'), 'utf8')) as { configSchema: unknown };
    expect(echoConfigSchema).toEqual(manifest.configSchema);
  });
});
