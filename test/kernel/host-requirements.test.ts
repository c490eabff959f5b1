import { describe, expect, it } from 'vitest';
import { configFromData, KernelStartError } from '../../src/kernel/index.js';
import { tempDir, testKernel, writePlugin } from '../helpers/fixtures.js';

const HOST = { host: 'nexus serve', plugins: ['front'], slots: ['store'] };

/** Fails to activate while its config says `fail: true`; records each activation's event. */
const FLAKY_ENTRY = `import { definePlugin } from '@nexus/plugin-sdk';
export default definePlugin({
  activate(ctx) {
    globalThis.__events = [...(globalThis.__events ?? []), ctx.pluginId + ':' + ctx.event];
    if (ctx.config.fail) throw new Error('port 7000 is taken');
  },
});
`;

const FLAKY_SCHEMA = { type: 'object', additionalProperties: false, properties: { fail: { type: 'boolean', default: false } } };

/** `front` starts at startup; `disk` fills the `store` slot and would load only on first use. */
function hostPlugins(disk: { readonly entry?: string } = {}): string {
  const root = tempDir();
  writePlugin(root, { id: 'front', manifest: { activation: ['onStartup'], configSchema: FLAKY_SCHEMA }, entry: FLAKY_ENTRY });
  writePlugin(root, { id: 'disk', manifest: { contributes: { slots: [{ slot: 'store', default: true }] }, configSchema: FLAKY_SCHEMA }, entry: disk.entry ?? FLAKY_ENTRY });
  return root;
}

function events(): string[] {
  return (globalThis as { __events?: string[] }).__events ?? [];
}

describe('plugins the host cannot run without', () => {
  it('starts the slot occupant at startup too, though it would otherwise load on first use', async () => {
    (globalThis as { __events?: string[] }).__events = [];
    const { kernel } = testKernel({ loadPaths: [hostPlugins()], kernel: { hostRequires: HOST } });
    const report = await kernel.start();
    expect(report.active).toEqual(expect.arrayContaining(['front', 'disk']));
    expect(events()).toEqual(expect.arrayContaining(['front:onStartup', 'disk:required']));
  });

  it('stops startup when the slot occupant cannot start, saying once, in plain words, who needs it and why', async () => {
    const { kernel, logger } = testKernel({ loadPaths: [hostPlugins()], plugins: { entries: { disk: { config: { fail: true } } } }, kernel: { hostRequires: HOST } });
    const error = await kernel.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KernelStartError);
    expect((error as KernelStartError).diagnostics.map((d) => d.message)).toEqual(['nexus serve cannot run without disk: could not start: port 7000 is taken']);
    expect((error as Error).message).not.toContain('activate()');
    // The start error is the report: the failure is not logged a second time.
    expect(logger.entries.filter((e) => e.level === 'error' || e.level === 'warn').map((e) => e.msg)).toEqual([]);
  });

  it('stops startup when one of its plugins is set aside by a config error, before anything starts', async () => {
    (globalThis as { __events?: string[] }).__events = [];
    const { kernel } = testKernel({ loadPaths: [hostPlugins()], plugins: { entries: { front: { config: { fial: true } } } }, kernel: { hostRequires: HOST } });
    const error = (await kernel.start().catch((e: unknown) => e)) as KernelStartError;
    expect(error.diagnostics).toEqual([expect.objectContaining({ code: 'plugin.config-invalid', message: expect.stringMatching(/^nexus serve cannot run without front: .*fial/) })]);
    expect(events()).toEqual([]);
  });

  it('stops startup when nothing fills a slot the host needs', async () => {
    const { kernel } = testKernel({ loadPaths: [hostPlugins()], plugins: { entries: { disk: { enabled: false } } }, kernel: { hostRequires: HOST } });
    await expect(kernel.start()).rejects.toThrow(/nexus serve cannot run without a plugin in the store slot, and no enabled plugin fills it/);
  });

  it('rejects a reload that would set one of them aside, and keeps it running', async () => {
    const root = hostPlugins();
    const { kernel } = testKernel({ loadPaths: [root], kernel: { hostRequires: HOST } });
    await kernel.start();
    const report = await kernel.reconfigure(configFromData({ plugins: { load: { paths: [root] }, entries: { front: { config: { fial: true } } } } }));
    expect(report.applied).toBe(false);
    expect(report.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/^nexus serve cannot run without front: .*fial/)]);
    expect(kernel.record('front')!.state).toBe('active');
  });

  it('undoes a reload after which one of them fails to start: the previous config is back, and so is the plugin', async () => {
    (globalThis as { __events?: string[] }).__events = [];
    const root = hostPlugins();
    const { kernel } = testKernel({ loadPaths: [root], kernel: { hostRequires: HOST } });
    await kernel.start();
    const next = configFromData({ plugins: { load: { paths: [root] }, entries: { front: { config: { fail: true } } } } });
    const report = await kernel.reconfigure(next);

    expect(report.applied).toBe(false);
    expect(report.diagnostics).toEqual([
      expect.objectContaining({ level: 'error', message: 'nexus serve cannot run without front: could not start: port 7000 is taken' }),
      expect.objectContaining({ level: 'info', code: 'config.reload-undone', message: 'the previous config was restored, and the plugins it runs are running again' }),
    ]);
    expect(kernel.config).not.toBe(next);
    expect(kernel.record('front')!.state).toBe('active');
    // Started, failed under the new config, started again under the old one.
    expect(events().filter((e) => e.startsWith('front:'))).toEqual(['front:onStartup', 'front:reload', 'front:reload']);
  });

  it('starts a new slot occupant on reload, so a database that cannot be reached undoes the reload', async () => {
    const root = hostPlugins();
    writePlugin(root, { id: 'settings', entry: null, manifest: { main: undefined, contributes: { configSections: [{ section: 'database', schema: { type: 'object' } }] } } });
    writePlugin(root, {
      id: 'cloud',
      manifest: { contributes: { slots: [{ slot: 'store', when: { pointer: '/database/url', matches: '^cloud:' } }] } },
      entry: `import { definePlugin } from '@nexus/plugin-sdk';\nexport default definePlugin({ activate() { throw new Error('cannot connect to cloud:db'); } });\n`,
    });
    const { kernel } = testKernel({ loadPaths: [root], kernel: { hostRequires: HOST } });
    await kernel.start();
    const report = await kernel.reconfigure(configFromData({ database: { url: 'cloud:db' }, plugins: { load: { paths: [root] } } }));
    expect(report.applied).toBe(false);
    expect(report.diagnostics[0]!.message).toBe('nexus serve cannot run without cloud: could not start: cannot connect to cloud:db');
    expect(kernel.record('disk')!.state).toBe('active');
  });
});
