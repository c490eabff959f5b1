import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tools, ToolSources } from '@nexus/plugin-sdk';
import { pluginChecks } from '../../src/kernel/doctor/plugin-checks.js';
import { verifyPluginContract } from '../../src/kernel/testing/index.js';
import { tempDir, testKernel, TOOL_ENTRY, writePlugin } from '../helpers/fixtures.js';

const SCHEMA = { type: 'object', required: ['q'], properties: { q: { type: 'string' } } };

/** A tool entry whose object restates manifest facts (as plugins written before SDK 1.0 did). */
const RESTATING_ENTRY = (name: string, facts: Record<string, unknown>) => `import { definePlugin, Tools } from '@nexus/plugin-sdk';
export default definePlugin({
  register(ctx) {
    ctx.contribute(Tools, ${JSON.stringify(name)}).toConstantValue({ ...${JSON.stringify(facts)}, async execute() { return { content: 'ran' }; } });
  },
});
`;

describe('the manifest is the single source of truth', () => {
  it('answers what a manifest declares without loading code, filling in a tool that takes no arguments', () => {
    const root = tempDir();
    writePlugin(root, { id: 'full', manifest: { contributes: { tools: [{ name: 'search', description: 'Searches.', inputSchema: SCHEMA, timeoutMs: 500 }] } }, entry: `throw new Error('must not be imported');\n` });
    writePlugin(root, { id: 'bare', manifest: { contributes: { tools: [{ name: 'ping' }], toolSources: [{ name: 'remote' }] } }, entry: `throw new Error('must not be imported');\n` });
    const { kernel } = testKernel({ loadPaths: [root] });

    expect(kernel.contributions.declared(Tools, 'search')).toEqual({ name: 'search', description: 'Searches.', inputSchema: SCHEMA, timeoutMs: 500, pluginId: 'full' });
    expect(kernel.contributions.declared(Tools, 'ping')).toEqual({
      name: 'ping',
      description: '',
      inputSchema: { type: 'object', properties: {}, additionalProperties: false },
      pluginId: 'bare',
    });
    // The same object each time, so consumers can cache what they derive from it (a compiled schema).
    expect(kernel.contributions.declared(Tools, 'search')).toBe(kernel.contributions.declared(Tools, 'search'));
    expect(kernel.contributions.declared(Tools, 'nothing')).toBeUndefined();
    expect(kernel.contributions.names(ToolSources)).toEqual(['remote']);
    expect([...kernel.record('bare')!.activationEvents]).toContain('onToolSource:remote');
    expect(kernel.record('full')!.state).toBe('discovered');
  });

  it('accepts an object that restates its manifest faithfully', async () => {
    const root = tempDir();
    writePlugin(root, {
      id: 'faithful',
      manifest: { contributes: { tools: [{ name: 'search', description: 'Searches.', inputSchema: SCHEMA }] } },
      entry: RESTATING_ENTRY('search', { name: 'search', description: 'Searches.', inputSchema: SCHEMA }),
    });
    const { kernel } = testKernel({ loadPaths: [root] });
    expect(await (await kernel.contributions.get(Tools, 'search')).execute({ q: 'x' }, undefined as never)).toEqual({ content: 'ran' });
  });

  it('fails a plugin whose tool contradicts its manifest with one diagnostic per fact, leaving other plugins alone', async () => {
    const root = tempDir();
    const dir = writePlugin(root, {
      id: 'drifted',
      manifest: { contributes: { tools: [{ name: 'search', description: 'Searches.', inputSchema: SCHEMA }] } },
      entry: RESTATING_ENTRY('search', { name: 'find', description: 'Searches.', inputSchema: { type: 'object' }, timeoutMs: 10 }),
    });
    writePlugin(root, { id: 'healthy', manifest: { contributes: { tools: [{ name: 'ok' }] } }, entry: TOOL_ENTRY('ok') });
    const { kernel } = testKernel({ loadPaths: [root] });

    await expect(kernel.contributions.get(Tools, 'search')).rejects.toThrow(/plugin drifted is unavailable: tools "search": the object states name "find", but the manifest says "search"/);

    const record = kernel.record('drifted')!;
    expect(record.state).toBe('failed');
    const file = join(dir, 'nexus.plugin.json');
    expect(record.diagnostics.map((d) => [d.code, d.source])).toEqual([
      ['plugin.contract-mismatch', { file, pointer: '/contributes/tools/0/name' }],
      ['plugin.contract-mismatch', { file, pointer: '/contributes/tools/0/inputSchema' }],
      ['plugin.contract-mismatch', { file, pointer: '/contributes/tools/0/timeoutMs' }],
    ]);
    expect(record.diagnostics[2]).toMatchObject({
      pluginId: 'drifted',
      message: 'tools "search": the object states timeoutMs 10, but the manifest gives no timeoutMs; the manifest is what the host enforces',
      hint: `remove timeoutMs from the object: the manifest states it (/contributes/tools/0 in ${file}); if 10 is what you meant, change it there`,
    });
    expect(kernel.contributions.names(Tools)).toEqual(['ok']);
    expect(await (await kernel.contributions.get(Tools, 'ok')).execute(undefined, undefined as never)).toEqual({ content: 'ok' });
    expect(kernel.record('healthy')!.diagnostics).toEqual([]);
  });

  it('has verifyPluginContract report every contradiction and an input schema that does not compile', async () => {
    const dir = writePlugin(tempDir(), {
      id: 'drifted',
      manifest: { contributes: { tools: [{ name: 'search', description: 'Searches.', inputSchema: { type: 'nope' } }] } },
      entry: RESTATING_ENTRY('search', { description: 'Finds.' }),
    });
    const report = await verifyPluginContract({ plugin: dir });
    expect(report.resolved).toEqual(['tools:search']);
    expect(report.problems).toEqual([
      expect.stringMatching(/^tool "search" declares an invalid inputSchema at \/contributes\/tools\/0\/inputSchema: /),
      expect.stringMatching(/^plugin\.contract-mismatch: tools "search": the object states description "Finds\.", but the manifest says "Searches\."/),
    ]);
  });

  it('has the plugin doctor check report a declared input schema that does not compile, without loading code', async () => {
    const root = tempDir();
    const dir = writePlugin(root, {
      id: 'bad-schema',
      manifest: { contributes: { tools: [{ name: 'fine', inputSchema: SCHEMA }, { name: 'broken', inputSchema: { type: 'nope' } }] } },
      entry: `throw new Error('must not be imported');\n`,
    });
    const { kernel } = testKernel({ loadPaths: [root] });
    const check = pluginChecks(kernel).find((c) => c.id === 'bad-schema')!;
    const { findings } = await check.run(undefined as never);
    expect(findings).toEqual([
      expect.objectContaining({
        level: 'error',
        code: 'manifest.invalid-tool-schema',
        message: expect.stringMatching(/^tool "broken" has an inputSchema that is not a valid JSON Schema: .*; the agent leaves the tool out of every turn$/),
        where: `${join(dir, 'nexus.plugin.json')} (/contributes/tools/1/inputSchema)`,
      }),
    ]);
    expect(kernel.record('bad-schema')!.state).toBe('discovered');
  });
});
