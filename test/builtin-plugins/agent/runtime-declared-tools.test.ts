import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePlugin } from '../../helpers/fixtures.js';
import { agentKernel, call, calls, harness, ofType, says, tempDir } from './agent-test-kit.js';

const LOOKUP_SCHEMA = { type: 'object', additionalProperties: false, required: ['city'], properties: { city: { type: 'string', minLength: 1 } } };

/** A tool plugin whose entry writes a line to `log` when it is imported and when its tool runs. */
function lookupPlugin(log: string, manifest: Record<string, unknown> = {}): string {
  return writePlugin(tempDir(), {
    id: 'weather',
    manifest: { contributes: { tools: [{ name: 'weather', description: 'The weather in a city.', inputSchema: LOOKUP_SCHEMA, timeoutMs: 20_000 }] }, ...manifest },
    entry: `import { appendFileSync } from 'node:fs';
import { definePlugin, Tools } from '@nexus/plugin-sdk';
appendFileSync(${JSON.stringify(log)}, 'import\\n');
export default definePlugin({
  register(ctx) {
    ctx.contribute(Tools, 'weather').toConstantValue({
      async execute(input) { appendFileSync(${JSON.stringify(log)}, 'execute ' + input.city + '\\n'); return { content: 'sunny in ' + input.city }; },
    });
  },
});
`,
  });
}

const lines = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

describe('agent runtime: tools are offered from their manifests', () => {
  it('offers a declared tool with its manifest description and schema without importing its plugin', async () => {
    const log = join(tempDir(), 'weather.log');
    await using kernel = agentKernel({ with: [lookupPlugin(log)] });
    const h = await harness(kernel);
    h.llm.script(says('No tools needed.'));

    await h.run(h.turn('hello'));

    expect(h.llm.requests[0]!.tools).toContainEqual({ name: 'weather', description: 'The weather in a city.', inputSchema: LOOKUP_SCHEMA });
    expect(lines(log)).toEqual([]);
    expect(kernel.logs.filter((l) => l.msg === 'plugin activated').map((l) => l.fields.pluginId)).not.toContain('weather');
    expect(kernel.logs.filter((l) => l.msg === 'plugin activated').map((l) => l.fields.pluginId)).toContain('scripted-llm');
  });

  it('imports the plugin when the model calls its tool, after checking the input against the manifest schema', async () => {
    const log = join(tempDir(), 'weather.log');
    await using kernel = agentKernel({ with: [lookupPlugin(log)] });
    const h = await harness(kernel);
    h.llm.script(calls([call('weather', { city: '' }, 'c1')]), calls([call('weather', { city: 'Oslo' }, 'c2')]), says('Sunny.'));

    const events = await h.run(h.turn('weather in Oslo?'));

    const results = ofType(events, 'tool_result');
    expect(results[0]).toMatchObject({ callId: 'c1', isError: true, content: expect.stringContaining('Invalid input for tool "weather"') });
    expect(results[1]).toMatchObject({ callId: 'c2', isError: false, content: 'sunny in Oslo' });
    // The invalid call was refused on the manifest's schema alone: the import came with the valid one.
    expect(lines(log)).toEqual(['import', 'execute Oslo']);
  });

  it('tells the model when a called tool\'s plugin contradicts its manifest, and fails only that plugin', async () => {
    const log = join(tempDir(), 'weather.log');
    const liar = writePlugin(tempDir(), {
      id: 'liar-tool',
      manifest: { contributes: { tools: [{ name: 'shout', description: 'Upper-cases text.', inputSchema: { type: 'object' } }] } },
      entry: `import { definePlugin, Tools } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) { ctx.contribute(Tools, 'shout').toConstantValue({ description: 'Whispers text.', async execute() { return { content: 'psst' }; } }); } });
`,
    });
    await using kernel = agentKernel({ with: [lookupPlugin(log), liar] });
    const h = await harness(kernel);
    h.llm.script(calls([call('shout', {}, 'c1'), call('weather', { city: 'Rome' }, 'c2')]), says('Done.'));

    const events = await h.run(h.turn('shout and weather'));

    const results = ofType(events, 'tool_result').sort((a, b) => a.callId.localeCompare(b.callId));
    expect(results[0]).toMatchObject({ isError: true, content: expect.stringContaining('the object states description "Whispers text.", but the manifest says "Upper-cases text."') });
    expect(results[1]).toMatchObject({ isError: false, content: 'sunny in Rome' });
  });

  it('activates a declared tool source when a turn starts, offers what it lists and calls it by name', async () => {
    const source = writePlugin(tempDir(), {
      id: 'dynamic',
      manifest: { contributes: { toolSources: [{ name: 'dynamic', description: 'Tools made up at run time.' }] } },
      entry: `import { definePlugin, ToolSources } from '@nexus/plugin-sdk';
let lists = 0;
export default definePlugin({
  register(ctx) {
    ctx.contribute(ToolSources, 'dynamic').toConstantValue({
      async list() { lists++; return [{ name: 'now_' + lists, description: 'Listed on call ' + lists + '.', inputSchema: { type: 'object' } }]; },
      async call(name, input, context) { return { content: name + ' ran for ' + context.sessionId }; },
    });
  },
});
`,
    });
    await using kernel = agentKernel({ with: [source] });
    const h = await harness(kernel);
    h.llm.script(calls([call('now_1', {}, 'c1')]), says('ok'));

    const first = await h.run(h.turn('first'));
    h.llm.script(says('ok'));
    await h.run(h.turn('second'));

    expect(ofType(first, 'tool_result')[0]).toMatchObject({ isError: false, content: `now_1 ran for ${h.session.id}` });
    expect(h.llm.requests[0]!.tools).toContainEqual({ name: 'now_1', description: 'Listed on call 1.', inputSchema: { type: 'object' } });
    // Asked again each turn: the list is whatever the source has now.
    expect(h.llm.requests.at(-1)!.tools!.map((t) => t.name)).toContain('now_2');
  });

  it('leaves out a tool whose declared inputSchema does not compile, offering the rest', async () => {
    const log = join(tempDir(), 'weather.log');
    const broken = writePlugin(tempDir(), {
      id: 'broken-schema',
      manifest: { contributes: { tools: [{ name: 'broken', description: 'Has a bad schema.', inputSchema: { type: 'no-such-type' } }] } },
      entry: `import { definePlugin, Tools } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) { ctx.contribute(Tools, 'broken').toConstantValue({ async execute() { return { content: '' }; } }); } });
`,
    });
    await using kernel = agentKernel({ with: [lookupPlugin(log), broken] });
    const h = await harness(kernel);
    h.llm.script(says('ok'));

    await h.run(h.turn('hi'));

    const offered = h.llm.requests[0]!.tools!.map((t) => t.name);
    expect(offered).toContain('weather');
    expect(offered).not.toContain('broken');
    expect(kernel.logs.some((l) => l.level === 'warn' && l.msg.startsWith('tool broken is left out: its inputSchema is not a valid JSON Schema'))).toBe(true);
  });
});
