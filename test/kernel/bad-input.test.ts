import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChannelLogins, ChannelOutbounds, Tools } from '@nexus/plugin-sdk';
import { KernelStartError } from '../../src/kernel/index.js';
import { tempDir, testKernel, TOOL_ENTRY, writePlugin } from '../helpers/fixtures.js';

/** Each broken plugin fails alone: the kernel keeps serving the healthy one next to it. */
async function expectIsolated(spec: Parameters<typeof writePlugin>[1], code: string, options: { timeouts?: object; plugins?: Record<string, unknown> } = {}) {
  const root = tempDir();
  writePlugin(root, { ...spec, manifest: { activation: ['onStartup'], ...spec.manifest } });
  writePlugin(root, { id: 'healthy', manifest: { contributes: { tools: [{ name: 'ok' }] } }, entry: TOOL_ENTRY('ok') });
  const { kernel } = testKernel({ loadPaths: [root], plugins: options.plugins, kernel: { timeouts: options.timeouts } });
  const report = await kernel.start();
  const broken = kernel.list().find((p) => p.id === spec.id)!;
  expect(broken.state === 'failed' || broken.state === 'quarantined').toBe(true);
  expect(broken.diagnostics.map((d) => d.code)).toContain(code);
  expect(report.failed).toContain(spec.id);
  const tool = await kernel.contributions.get(Tools, 'ok');
  expect((await tool.execute({}, undefined as never)).content).toBe('ok');
  return broken;
}

describe('bad plugins are isolated with a clear diagnostic', () => {
  it('a missing entry file', async () => {
    const broken = await expectIsolated({ id: 'ghost', main: 'missing.js', entry: null }, 'plugin.entry-missing');
    expect(broken.diagnostics[0]!.hint).toMatch(/fix "main"/);
  });

  it('an entry that throws on import', async () => {
    const broken = await expectIsolated({ id: 'thrower', entry: `throw new Error('cannot start: no token');` }, 'plugin.import-failed');
    expect(broken.diagnostics[0]!.message).toContain('cannot start: no token');
  });

  it('an entry that does not default-export definePlugin()', async () => {
    const broken = await expectIsolated({ id: 'plain', entry: `export default { register() {} };` }, 'plugin.bad-export');
    expect(broken.diagnostics[0]!.hint).toContain('definePlugin');
  });

  it('register throwing', async () => {
    const broken = await expectIsolated(
      { id: 'bad-register', entry: `import { definePlugin } from '@nexus/plugin-sdk'; export default definePlugin({ register() { throw new Error('oops in register'); } });` },
      'plugin.register-failed',
    );
    expect(broken.diagnostics[0]!.message).toContain('oops in register');
  });

  it('register returning a promise', async () => {
    const broken = await expectIsolated(
      { id: 'async-register', entry: `import { definePlugin } from '@nexus/plugin-sdk'; export default definePlugin({ async register() {} });` },
      'plugin.register-failed',
    );
    expect(broken.diagnostics[0]!.message).toContain('register must only bind');
  });

  it('activate rejecting', async () => {
    const broken = await expectIsolated(
      { id: 'bad-activate', entry: `import { definePlugin } from '@nexus/plugin-sdk'; export default definePlugin({ async activate() { throw new Error('db unreachable'); } });` },
      'plugin.activate-failed',
    );
    expect(broken.diagnostics[0]!.message).toContain('db unreachable');
  });

  it('activate timing out', async () => {
    const broken = await expectIsolated(
      { id: 'slow', entry: `import { definePlugin } from '@nexus/plugin-sdk'; export default definePlugin({ activate() { return new Promise(() => {}); } });` },
      'plugin.activate-timeout',
      { timeouts: { activateMs: 100 } },
    );
    expect(broken.diagnostics[0]!.message).toContain('100 ms');
  });

  it('a declared contribution that register() never binds, and an undeclared one it does', async () => {
    const broken = await expectIsolated(
      { id: 'liar', manifest: { contributes: { tools: [{ name: 'declared' }] } }, entry: TOOL_ENTRY('undeclared') },
      'plugin.contribution-missing',
    );
    expect(broken.diagnostics.map((d) => d.message).join('\n')).toContain('register() bound tools "undeclared"');
  });

  it('invalid config quarantines only that plugin, pointing at the value', async () => {
    const broken = await expectIsolated(
      { id: 'strict', manifest: { configSchema: { type: 'object', required: ['token'], properties: { token: { type: 'string' } }, additionalProperties: false } } },
      'plugin.config-invalid',
      { plugins: { entries: { strict: { config: { tokn: 'x' } } } } },
    );
    expect(broken.state).toBe('quarantined');
    const messages = broken.diagnostics.map((d) => `${d.message} | ${d.hint ?? ''}`);
    expect(messages).toContainEqual(expect.stringContaining('/plugins/entries/strict/config: missing required key "token"'));
    expect(messages).toContainEqual(expect.stringContaining('did you mean "token"?'));
  });

  it('a manifest id that differs from the plugins.entries key pointing at it', async () => {
    const root = tempDir();
    const dir = writePlugin(root, { id: 'real-id' });
    const { kernel } = testKernel({ plugins: { entries: { 'other-id': { path: dir } } } });
    const record = kernel.list().find((p) => p.id === 'other-id')!;
    expect(record.state).toBe('failed');
    expect(record.diagnostics[0]).toMatchObject({ code: 'plugin.id-mismatch' });
    expect(record.diagnostics[0]!.hint).toContain('plugins.entries.real-id');
  });

  it('a dependency cycle quarantines its members, and a failed dependency its dependents', async () => {
    const root = tempDir();
    writePlugin(root, { id: 'a', manifest: { requires: { b: '*' }, activation: ['onStartup'] } });
    writePlugin(root, { id: 'b', manifest: { requires: { a: '*' } } });
    writePlugin(root, { id: 'base', entry: `throw new Error('broken base');` });
    writePlugin(root, { id: 'child', manifest: { requires: { base: '*' }, activation: ['onStartup'] } });
    writePlugin(root, { id: 'grandchild', manifest: { requires: { child: '*' } } });
    const { kernel } = testKernel({ loadPaths: [root] });
    expect(kernel.record('a')!.diagnostics[0]!.message).toMatch(/cycle: (a → b → a|b → a → b)/);
    expect(kernel.record('b')!.state).toBe('quarantined');
    await kernel.start();
    expect(kernel.record('base')!.state).toBe('failed');
    expect(kernel.record('child')!.state).toBe('quarantined');
    expect(kernel.record('grandchild')!.state).toBe('quarantined');
  });

  it('a missing or version-incompatible dependency', () => {
    const root = tempDir();
    writePlugin(root, { id: 'needs-missing', manifest: { requires: { nowhere: '^1.0.0' } } });
    writePlugin(root, { id: 'needs-new', manifest: { requires: { old: '^2.0.0' } } });
    writePlugin(root, { id: 'old', manifest: { version: '1.4.0' } });
    const { kernel } = testKernel({ loadPaths: [root] });
    expect(kernel.record('needs-missing')!.diagnostics[0]!.message).toBe('requires nowhere@^1.0.0, but no plugin "nowhere" was found');
    expect(kernel.record('needs-new')!.diagnostics[0]!.message).toBe('requires old@^2.0.0, but old is version 1.4.0');
  });

  it('a required plugin that fails stops startup with a clear error', async () => {
    const root = tempDir();
    writePlugin(root, { id: 'must', entry: `throw new Error('no license');`, manifest: { activation: ['onStartup'] } });
    const { kernel } = testKernel({ loadPaths: [root], plugins: { entries: { must: { required: true } } } });
    const error = await kernel.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KernelStartError);
    expect((error as Error).message).toContain('required plugin must: importing');
    expect((error as Error).message).toContain('no license');
  });

  it('an invalid plugins section stops startup, but listing still works', async () => {
    const { kernel } = testKernel({ plugins: { entries: { ok: { enabeld: true } } } });
    expect(kernel.list()).toEqual([]);
    expect(kernel.diagnostics()[0]).toMatchObject({ code: 'config.invalid', hint: 'did you mean "enabled"?' });
    await expect(kernel.start()).rejects.toThrow(/unknown key "enabeld"/);
  });

  it('a required plugin that is nowhere to be found stops startup', async () => {
    const { kernel } = testKernel({ plugins: { entries: { vault: { required: true } } } });
    await expect(kernel.start()).rejects.toThrow(/required plugin vault: no plugin with this id was found/);
  });

  it('an entries path that leads nowhere is reported, and the rest still starts', async () => {
    const root = tempDir();
    writePlugin(root, { id: 'fine', manifest: { activation: ['onStartup'] } });
    const { kernel } = testKernel({ loadPaths: [root], plugins: { entries: { lost: { path: join(root, 'nope') } } } });
    expect(kernel.diagnostics()).toContainEqual(expect.objectContaining({ code: 'discovery.entry-path-missing', pluginId: 'lost' }));
    expect((await kernel.start()).active).toEqual(['fine']);
  });

  it('a channel asked for a capability it does not bind', async () => {
    const root = tempDir();
    writePlugin(root, {
      id: 'chat',
      manifest: { contributes: { channels: [{ name: 'chat' }] } },
      entry: `import { definePlugin, ChannelOutbounds } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) { ctx.contribute(ChannelOutbounds, 'chat').toConstantValue({ async send() { return { deliveredAt: 0 }; } }); } });`,
    });
    const { kernel } = testKernel({ loadPaths: [root] });
    expect(await kernel.contributions.get(ChannelOutbounds, 'chat')).toHaveProperty('send');
    await expect(kernel.contributions.get(ChannelLogins, 'chat')).rejects.toThrow('plugin chat contributes channels "chat" but does not bind nexus.contrib.channels.login for it');
  });
});
