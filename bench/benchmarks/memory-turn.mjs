// What memory adds to a turn: the same agent turn (instant in-process provider, SQLite, 20
// messages of history) in two kernels side by side, one with memory.enabled: true (its recall
// section reading today's and yesterday's daily files, its three tools offered, the compactor
// consulted: session read and token estimate) and one without the memory plugin. Alternated turn
// by turn, flipping the order each round, so load drift hits both alike. The value is the memory
// turn, the baseline the plain one; the difference of their medians is the added p50.
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from '../harness/median.mjs';
import { INSTANT_LLM_SETTINGS, writeInstantLlm } from '../harness/instant-llm.mjs';
import { contractsEntry, kernelEntry } from '../harness/paths.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';

const TURNS_PER_RUN = 200;
const WARMUP_TURNS = 200;
const HISTORY = 20;
const DAILY_LINES = 40;

export default {
  results: [
    {
      name: 'memory-turn',
      unit: 'ms',
      what: `one agent turn with memory enabled (recall of two daily files of ${DAILY_LINES} entries, three memory tools offered, the compactor consulted) on SQLite with ${HISTORY} messages of history and an instant in-process provider, p50; baseline: the same turn in a kernel without the memory plugin, same run`,
    },
  ],
  async run({ runs }) {
    const root = makeWorkDir('memory-turn');
    const pluginDir = writeInstantLlm(join(root, 'instant-llm'));
    const devNull = openSync('/dev/null', 'w');
    const { Kernel, configFromData, PinoLogger } = await import(pathToFileURL(kernelEntry).href);
    const { AgentRuntimeToken, SessionStoreToken } = await import(pathToFileURL(contractsEntry).href);
    const logger = PinoLogger.create({ level: 'info', destination: devNull });

    const open = async (name, memory) => {
      const home = join(root, `home-${name}`);
      const workspace = join(root, `workspace-${name}`);
      mkdirSync(join(workspace, 'memory'), { recursive: true });
      mkdirSync(home);
      const today = new Date().toISOString().slice(0, 10);
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      for (const day of [yesterday, today]) {
        const lines = Array.from({ length: DAILY_LINES }, (_, i) => `- [10:${String(i % 60).padStart(2, '0')}:00] user (bench/main:bench:1): note ${i} about the garden and the boiler`);
        writeFileSync(join(workspace, 'memory', `${day}.md`), `${lines.join('\n')}\n`);
      }
      const kernel = new Kernel({
        config: configFromData({ workspace: { path: workspace }, llm: INSTANT_LLM_SETTINGS, memory: { enabled: memory, timezone: 'UTC', watch: { enabled: false } }, plugins: { load: { paths: [pluginDir] } } }),
        home,
        workspaceDir: root,
        packageDirs: [],
        discoveryIndex: false,
        logger,
      });
      const store = await kernel.services.get(SessionStoreToken);
      const session = await store.create({ agentId: 'main', channel: 'bench', key: 'main:bench:1' });
      for (let i = 0; i < HISTORY; i++) await store.appendMessage({ sessionId: session.id, role: i % 2 === 0 ? 'user' : 'assistant', content: `message ${i} of the conversation so far` });
      const runtime = await kernel.services.get(AgentRuntimeToken);
      const turn = { sessionId: session.id, agentId: 'main', channel: 'bench', content: 'ping' };
      const signal = new AbortController().signal;
      return {
        kernel,
        async run() {
          const started = performance.now();
          let last;
          for await (const event of runtime.run(turn, { signal })) last = event;
          const ms = performance.now() - started;
          if (last?.type !== 'done' || last.text !== 'ok') throw new Error(`memory-turn: the turn ended with ${JSON.stringify(last)}`);
          return ms;
        },
      };
    };

    const withMemory = await open('memory', true);
    const without = await open('plain', false);
    try {
      if (!withMemory.kernel.list().some((p) => p.id === 'memory' && p.enabled)) throw new Error('memory-turn: the memory plugin is not enabled in the memory kernel');
      if (without.kernel.list().some((p) => p.id === 'memory' && p.enabled)) throw new Error('memory-turn: the memory plugin is enabled in the plain kernel');
      for (let i = 0; i < WARMUP_TURNS; i++) {
        await withMemory.run();
        await without.run();
      }
      const values = [];
      const baselines = [];
      for (let i = 0; i < runs * TURNS_PER_RUN; i++) {
        if (i % 2 === 0) {
          values.push(await withMemory.run());
          baselines.push(await without.run());
        } else {
          baselines.push(await without.run());
          values.push(await withMemory.run());
        }
      }
      const us = (ms) => `${(ms * 1000).toFixed(0)} µs`;
      return { 'memory-turn': { values, baselines }, notes: [`${values.length} turns each: p50 with memory ${us(median(values))}, without ${us(median(baselines))}, added ${us(median(values) - median(baselines))}`] };
    } finally {
      await withMemory.kernel.stop('benchmark done');
      await without.kernel.stop('benchmark done');
      closeSync(devNull);
    }
  },
};
