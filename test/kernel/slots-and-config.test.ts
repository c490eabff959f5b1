import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createToken } from '@nexus/plugin-sdk';
import { Kernel, loadConfigFile, MemoryLogger } from '../../src/kernel/index.js';
import { tempDir, testKernel, writeFile, writePlugin } from '../helpers/fixtures.js';

const Store = createToken<{ kind: string }>('test.store');
const storePlugin = (root: string, id: string, claim: Record<string, unknown>) =>
  writePlugin(root, {
    id,
    manifest: { contributes: { slots: [{ slot: 'storage', ...claim }], services: [{ name: 'test.store' }] } },
    entry: `import { definePlugin, createToken } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) { ctx.provide(createToken('test.store')).toConstantValue({ kind: ${JSON.stringify(id)} }); } });`,
  });

describe('slots', () => {
  function claimants(root: string) {
    storePlugin(root, 'store-sqlite', { when: { pointer: '/database/url', empty: true }, default: true });
    storePlugin(root, 'store-postgres', { when: { pointer: '/database/url', matches: '^postgres(ql)?://' } });
  }

  it('chooses the occupant from config data, never from plugin code', async () => {
    const root = tempDir();
    claimants(root);
    const sqlite = testKernel({ loadPaths: [root] }).kernel;
    expect((await sqlite.services.get(Store)).kind).toBe('store-sqlite');
    expect(sqlite.record('store-postgres')).toMatchObject({ enabled: false, state: 'disabled', enabledBy: 'slot "storage" is filled by store-sqlite' });

    const pg = testKernel({ loadPaths: [root], data: { database: { url: 'postgres://db/nexus' } } }).kernel;
    expect((await pg.services.get(Store)).kind).toBe('store-postgres');
  });

  it('lets plugins.slots name the occupant explicitly', async () => {
    const root = tempDir();
    claimants(root);
    const { kernel } = testKernel({ loadPaths: [root], plugins: { slots: { storage: 'store-postgres' } } });
    expect((await kernel.services.get(Store)).kind).toBe('store-postgres');
  });

  it('reports two plugins claiming one slot and quarantines both', () => {
    const root = tempDir();
    storePlugin(root, 'one', {});
    storePlugin(root, 'two', {});
    const { kernel } = testKernel({ loadPaths: [root] });
    for (const id of ['one', 'two']) {
      expect(kernel.record(id)!.state).toBe('quarantined');
      expect(kernel.record(id)!.diagnostics[0]).toMatchObject({ code: 'slot.conflict', hint: 'choose one with "plugins.slots.storage: <id>" in the config, or disable the others' });
    }
    expect(kernel.services.has(Store)).toBe(false);
  });

  it('does not count disabled claimants as a conflict', async () => {
    const root = tempDir();
    storePlugin(root, 'one', {});
    storePlugin(root, 'two', {});
    const { kernel } = testKernel({ loadPaths: [root], plugins: { deny: ['two'] } });
    expect((await kernel.services.get(Store)).kind).toBe('one');
  });
});

describe('plugin config slices', () => {
  const schema = { type: 'object', additionalProperties: false, properties: { prefix: { type: 'string', default: '> ' }, limit: { type: 'integer', minimum: 1 } } };

  it('points at file:line:col of a bad value in nexus.yaml, and only warns for a disabled plugin', () => {
    const root = tempDir();
    writePlugin(root, { id: 'on', manifest: { configSchema: schema } });
    writePlugin(root, { id: 'off', manifest: { configSchema: schema } });
    const file = writeFile(
      join(root, 'nexus.yaml'),
      ['# test config', 'plugins:', '  load:', `    paths: [${JSON.stringify(root)}]`, '  entries:', '    on:', '      config:', '        limit: 0', '    off:', '      enabled: false', '      config: { limit: "ten" }', ''].join('\n'),
    );
    const kernel = new Kernel({ config: loadConfigFile(file), home: tempDir(), workspaceDir: root, builtinDirs: [], packageDirs: [], logger: new MemoryLogger() });
    const on = kernel.record('on')!;
    expect(on.state).toBe('quarantined');
    expect(on.diagnostics[0]).toMatchObject({
      level: 'error',
      code: 'plugin.config-invalid',
      source: { file, line: 8, column: 16, pointer: '/plugins/entries/on/config/limit' },
    });
    const off = kernel.record('off')!;
    expect(off.state).toBe('disabled');
    expect(off.diagnostics[0]).toMatchObject({ level: 'warning', code: 'plugin.config-invalid', source: { line: 11, column: 24 } });
    expect(off.diagnostics[0]!.message).toContain('expected integer, found string "ten"');
  });

  it('rejects config for a plugin that declares no configSchema', () => {
    const root = tempDir();
    writePlugin(root, { id: 'bare' });
    const { kernel } = testKernel({ loadPaths: [root], plugins: { entries: { bare: { config: { x: 1 } } } } });
    expect(kernel.record('bare')!.diagnostics[0]).toMatchObject({ code: 'plugin.config-unexpected' });
  });

  it('reports a configSchema that is not a valid JSON Schema as a broken plugin', () => {
    const root = tempDir();
    writePlugin(root, { id: 'weird', manifest: { configSchema: { type: 'no-such-type' } } });
    const { kernel } = testKernel({ loadPaths: [root], plugins: { entries: { weird: { config: {} } } } });
    expect(kernel.record('weird')).toMatchObject({ state: 'failed' });
    expect(kernel.record('weird')!.diagnostics[0]!.code).toBe('manifest.invalid-config-schema');
  });

  it('warns about config entries for plugins that do not exist, with a suggestion', () => {
    const root = tempDir();
    writePlugin(root, { id: 'telegram' });
    const { kernel } = testKernel({ loadPaths: [root], plugins: { entries: { telegarm: { enabled: true } } } });
    expect(kernel.diagnostics()).toContainEqual(expect.objectContaining({ code: 'config.unknown-plugin', hint: 'did you mean "telegram"?' }));
  });
});

describe('contribution names', () => {
  it('reports two plugins contributing the same tool name instead of silently shadowing one', () => {
    const root = tempDir();
    for (const id of ['tools-a', 'tools-b']) writePlugin(root, { id, manifest: { contributes: { tools: [{ name: 'search' }] } } });
    const { kernel } = testKernel({ loadPaths: [root] });
    expect(kernel.record('tools-a')!.diagnostics).toEqual([]);
    expect(kernel.record('tools-b')!.diagnostics).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        code: 'contribution.duplicate',
        message: 'tools "search" is contributed by both tools-a (used) and tools-b (ignored)',
        source: expect.objectContaining({ pointer: '/contributes/tools/0' }),
      }),
    );
  });
});
