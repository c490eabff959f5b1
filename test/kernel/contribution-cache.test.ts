import { describe, expect, it } from 'vitest';
import { Tools } from '@nexus/plugin-sdk';
import { configFromData } from '../../src/kernel/index.js';
import { tempDir, testKernel, writePlugin } from '../helpers/fixtures.js';

/** A tool bound as a class in the default (transient) scope, that says which config it was made under. */
const CLASS_TOOL = (name: string) => `import { definePlugin, Tools, PluginConfigToken } from '@nexus/plugin-sdk';
let made = 0;
export default definePlugin({
  register(ctx) {
    ctx.contribute(Tools, ${JSON.stringify(name)}).toDynamicValue((c) => ({
      made: 'made #' + ++made,
      greeting: c.get(PluginConfigToken).greeting,
      async execute() { return { content: 'ok' }; },
    }));
  },
});
`;
/** Which construction of its class a resolved tool is. */
const madeOf = (tool: unknown) => (tool as { made: string }).made;
const CONFIG_SCHEMA = { type: 'object', properties: { greeting: { type: 'string', default: 'hello' } } };

describe('contribution registry: getAll', () => {
  it('resolves each contribution once per activation and hands back the same values afterwards', async () => {
    const root = tempDir();
    writePlugin(root, { id: 'a', manifest: { configSchema: CONFIG_SCHEMA, contributes: { tools: [{ name: 'one' }] } }, entry: CLASS_TOOL('one') });
    writePlugin(root, { id: 'b', manifest: { contributes: { tools: [{ name: 'two' }] } }, entry: CLASS_TOOL('two') });
    const { kernel } = testKernel({ loadPaths: [root] });

    const first = await kernel.contributions.getAll(Tools);
    const second = await kernel.contributions.getAll(Tools);
    expect(first.map((c) => c.name)).toEqual(['one', 'two']);
    expect(second).toBe(first);
    expect(second.map((c) => madeOf(c.value))).toEqual(['made #1', 'made #1']);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('resolves again from the new instance once a plugin is reloaded with new config', async () => {
    const root = tempDir();
    writePlugin(root, { id: 'a', manifest: { configSchema: CONFIG_SCHEMA, contributes: { tools: [{ name: 'one' }] } }, entry: CLASS_TOOL('one') });
    writePlugin(root, { id: 'b', manifest: { contributes: { tools: [{ name: 'two' }] } }, entry: CLASS_TOOL('two') });
    const { kernel } = testKernel({ loadPaths: [root] });
    const before = await kernel.contributions.getAll(Tools);
    expect((before[0]!.value as unknown as { greeting: string }).greeting).toBe('hello');

    const report = await kernel.reconfigure(configFromData({ plugins: { load: { paths: [root] }, entries: { a: { config: { greeting: 'hi' } } } } }));
    expect(report.applied).toBe(true);

    const after = await kernel.contributions.getAll(Tools);
    expect(after).not.toBe(before);
    expect((after[0]!.value as unknown as { greeting: string }).greeting).toBe('hi');
    // The plugin that was not reloaded keeps its value.
    expect(after[1]!.value).toBe(before[1]!.value);
  });

  it('drops the contributions of a plugin that was disabled by a reload', async () => {
    const root = tempDir();
    writePlugin(root, { id: 'a', manifest: { contributes: { tools: [{ name: 'one' }] } }, entry: CLASS_TOOL('one') });
    writePlugin(root, { id: 'b', manifest: { contributes: { tools: [{ name: 'two' }] } }, entry: CLASS_TOOL('two') });
    const { kernel } = testKernel({ loadPaths: [root] });
    expect((await kernel.contributions.getAll(Tools)).map((c) => c.name)).toEqual(['one', 'two']);

    await kernel.reconfigure(configFromData({ plugins: { load: { paths: [root] }, entries: { b: { enabled: false } } } }));

    expect((await kernel.contributions.getAll(Tools)).map((c) => c.name)).toEqual(['one']);
  });

  it('hands a shared name to the next declarer once the first one fails, without a new plan', async () => {
    const root = tempDir();
    writePlugin(root, { id: 'a-broken', manifest: { contributes: { tools: [{ name: 'shared' }] } }, entry: `throw new Error('cannot load');\n` });
    writePlugin(root, { id: 'b-backup', manifest: { contributes: { tools: [{ name: 'shared' }] } }, entry: CLASS_TOOL('shared') });
    const { kernel } = testKernel({ loadPaths: [root] });
    expect(kernel.contributions.names(Tools)).toEqual(['shared']);

    await expect(kernel.contributions.get(Tools, 'shared')).rejects.toThrow(/cannot load/);

    expect(kernel.contributions.names(Tools)).toEqual(['shared']);
    expect(madeOf(await kernel.contributions.get(Tools, 'shared'))).toBe('made #1');
    expect((await kernel.contributions.getAll(Tools)).map((c) => c.pluginId)).toEqual(['b-backup']);
  });

  it('does not keep a result that a failing plugin left short, and does not retry the failed plugin', async () => {
    const root = tempDir();
    writePlugin(root, { id: 'a', manifest: { contributes: { tools: [{ name: 'one' }] } }, entry: CLASS_TOOL('one') });
    writePlugin(root, { id: 'broken', manifest: { contributes: { tools: [{ name: 'two' }] } }, entry: `throw new Error('cannot load');\n` });
    const { kernel } = testKernel({ loadPaths: [root] });

    expect((await kernel.contributions.getAll(Tools)).map((c) => c.name)).toEqual(['one']);
    expect(kernel.record('broken')!.state).toBe('failed');
    const again = await kernel.contributions.getAll(Tools);
    expect(again.map((c) => c.name)).toEqual(['one']);
    expect(madeOf(again[0]!.value)).toBe('made #1');
    expect(await kernel.contributions.getAll(Tools)).toBe(again);
  });
});
