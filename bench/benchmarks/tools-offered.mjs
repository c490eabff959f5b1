// What installed tools cost a turn that does not call them. Tools are offered to the model from
// their manifests (name, description, input schema), so a plugin's code is imported only when the
// model calls its tool. Measured: one agent turn (in-memory store, instant in-process provider)
// with 50 tool plugins installed, none called, paired in the same process with the same turn on
// a kernel that has none. Each tool plugin's entry counts its imports; the benchmark fails unless
// the count stays 0 and the model was offered all 50 tools.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { INSTANT_LLM_SETTINGS, offeredTools, writeInstantLlm } from '../harness/instant-llm.mjs';
import { median } from '../harness/median.mjs';
import { contractsEntry, kernelEntry } from '../harness/paths.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';

const TOOL_PLUGINS = 50;
const TURNS_PER_RUN = 200;
const WARMUP_TURNS = 200;

function writeToolPlugins(root) {
  for (let i = 0; i < TOOL_PLUGINS; i++) {
    const dir = join(root, `tool-${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'nexus.plugin.json'),
      JSON.stringify({
        id: `bench-tool-${i}`,
        name: `Benchmark tool ${i}`,
        version: '1.0.0',
        main: './index.mjs',
        contributes: {
          tools: [
            {
              name: `lookup_${i}`,
              description: `Looks up record ${i} by id; offered to the model, never called by the benchmark.`,
              inputSchema: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', minLength: 1 } } },
            },
          ],
        },
      }),
    );
    writeFileSync(
      join(dir, 'index.mjs'),
      `import { definePlugin, Tools } from '@nexus/plugin-sdk';
globalThis.__benchToolImports = (globalThis.__benchToolImports ?? 0) + 1;
export default definePlugin({ register(ctx) { ctx.contribute(Tools, 'lookup_${i}').toConstantValue({ async execute(input) { return { content: input.id }; } }); } });
`,
    );
  }
  return root;
}

export default {
  results: [
    {
      name: 'tools-offered-not-called',
      unit: 'ms',
      what: `one agent turn with ${TOOL_PLUGINS} installed tool plugins offered to the model and none called (instant in-process provider, in-memory store); baseline: the same turn with no tool plugins installed`,
      target: { on: 'ratio', max: 1.2 },
    },
  ],
  async run({ runs }) {
    const root = makeWorkDir('tools-offered');
    const provider = writeInstantLlm(join(root, 'instant-llm'));
    const tools = writeToolPlugins(join(root, 'tools'));
    const { Kernel, configFromData, MemoryLogger } = await import(pathToFileURL(kernelEntry).href);
    const { AgentRuntimeToken, SessionStoreToken } = await import(pathToFileURL(contractsEntry).href);

    const open = (name, paths) => {
      const home = join(root, name);
      mkdirSync(join(home, 'workspace'), { recursive: true });
      return new Kernel({
        config: configFromData({ database: { url: 'memory:' }, workspace: { path: join(home, 'workspace') }, llm: INSTANT_LLM_SETTINGS, plugins: { load: { paths } } }),
        home,
        workspaceDir: home,
        packageDirs: [],
        discoveryIndex: false,
        logger: new MemoryLogger(),
      });
    };
    const withTools = open('with-tools', [provider, tools]);
    const without = open('without-tools', [provider]);
    try {
      const turnOn = async (kernel) => {
        const store = await kernel.services.get(SessionStoreToken);
        const session = await store.create({ agentId: 'main', channel: 'bench', key: 'main:bench:1' });
        const runtime = await kernel.services.get(AgentRuntimeToken);
        const turn = { sessionId: session.id, agentId: 'main', channel: 'bench', content: 'ping' };
        const signal = new AbortController().signal;
        return async () => {
          const started = performance.now();
          let last;
          for await (const event of runtime.run(turn, { signal })) last = event;
          const ms = performance.now() - started;
          if (last?.type !== 'done' || last.text !== 'ok') throw new Error(`turn ended with ${JSON.stringify(last)}`);
          return { ms, offered: offeredTools() };
        };
      };
      const ours = await turnOn(withTools);
      const baseline = await turnOn(without);
      for (let i = 0; i < WARMUP_TURNS; i++) {
        await ours();
        await baseline();
      }
      const values = [];
      const baselines = [];
      const offered = new Set();
      // Alternate, flipping the order each round, so load drift hits both sides alike.
      for (let i = 0; i < runs * TURNS_PER_RUN; i++) {
        const pair = i % 2 === 0 ? [ours, baseline] : [baseline, ours];
        const first = await pair[0]();
        const second = await pair[1]();
        const [our, base] = i % 2 === 0 ? [first, second] : [second, first];
        values.push(our.ms);
        baselines.push(base.ms);
        offered.add(our.offered - base.offered);
      }
      const imported = globalThis.__benchToolImports ?? 0;
      const loaded = [...withTools.list()].filter((p) => p.id.startsWith('bench-tool-') && p.state !== 'discovered');
      if (imported !== 0 || loaded.length > 0) throw new Error(`${imported} tool plugin modules were imported (${loaded.map((p) => `${p.id}: ${p.state}`).join(', ')}); offering a tool must not load its plugin`);
      if (offered.size !== 1 || !offered.has(TOOL_PLUGINS)) throw new Error(`the model was offered ${[...offered].join('/')} more tools than the baseline, not ${TOOL_PLUGINS}`);
      const us = (ms) => `${(ms * 1000).toFixed(0)} µs`;
      return {
        'tools-offered-not-called': { values, baselines },
        notes: [
          `${values.length} turns each: p50 ${us(median(values))} with ${TOOL_PLUGINS} tools offered, ${us(median(baselines))} with none; tool plugin modules imported: ${imported}`,
        ],
      };
    } finally {
      await withTools.stop('benchmark done');
      await without.stop('benchmark done');
    }
  },
};
