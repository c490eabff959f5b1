// The agent runtime's own cost per turn, with the model taken out: an in-process provider that
// answers instantly. A turn here is everything but the model call: hooks, system prompt assembly
// from the seeded workspace files, 20 messages of history from the in-memory session store,
// the tool list, the failover client's bookkeeping and the bounded event stream. The baseline is
// the same provider's stream consumed directly in the same run, so the ratio says how much the
// runtime adds on top of merely reading the provider. Logging is real (pino at the default
// level, info) but goes to /dev/null: what a log line costs to store is the deployment's choice.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from '../harness/median.mjs';
import { INSTANT_LLM_SETTINGS, writeInstantLlm } from '../harness/instant-llm.mjs';
import { contractsEntry, kernelEntry } from '../harness/paths.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';

const TURNS_PER_RUN = 300;
const WARMUP_TURNS = 300;
const HISTORY = 20;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export default {
  results: [
    {
      name: 'runtime-turn',
      unit: 'ms',
      what: `one agent turn with an in-process instant provider (prompt from the seeded workspace, ${HISTORY} messages of history, in-memory store, hooks, event stream); baseline: the same provider's stream consumed directly`,
      target: { on: 'value', max: 0.2 },
    },
  ],
  async run({ runs }) {
    const root = makeWorkDir('runtime-turn');
    const pluginDir = writeInstantLlm(join(root, 'instant-llm'));
    const workspace = join(root, 'workspace');
    const home = join(root, 'home');
    mkdirSync(home);
    const devNull = openSync('/dev/null', 'w');

    const { Kernel, configFromData, PinoLogger } = await import(pathToFileURL(kernelEntry).href);
    const { AgentRuntimeToken, CliCommands, LlmProviders, SessionStoreToken } = await import(pathToFileURL(contractsEntry).href);
    const logger = PinoLogger.create({ level: 'info', destination: devNull });
    const kernel = new Kernel({
      config: configFromData({
        database: { url: 'memory:' },
        workspace: { path: workspace },
        llm: INSTANT_LLM_SETTINGS,
        plugins: { load: { paths: [pluginDir] } },
      }),
      home,
      workspaceDir: root,
      packageDirs: [],
      discoveryIndex: false,
      logger,
    });
    try {
      const io = { stdout: () => undefined, stderr: (text) => process.stderr.write(text) };
      const setup = await kernel.contributions.get(CliCommands, 'setup');
      if ((await setup.run({ argv: ['--workspace', workspace], configPath: undefined, signal: new AbortController().signal, ...io })) !== 0) throw new Error('nexus setup failed');

      const store = await kernel.services.get(SessionStoreToken);
      const session = await store.create({ agentId: 'main', channel: 'bench', key: 'main:bench:1' });
      for (let i = 0; i < HISTORY; i++) {
        await store.appendMessage({ sessionId: session.id, role: i % 2 === 0 ? 'user' : 'assistant', content: `message ${i} of the conversation so far` });
      }
      const runtime = await kernel.services.get(AgentRuntimeToken);
      const factory = await kernel.contributions.get(LlmProviders, 'instant');
      const provider = factory.create({ id: 'instant', type: 'instant', defaultModel: 'instant-1' });
      const signal = new AbortController().signal;
      const turn = { sessionId: session.id, agentId: 'main', channel: 'bench', content: 'ping' };
      const request = { model: 'instant-1', system: 'system', messages: [{ role: 'user', content: [{ type: 'text', text: 'ping' }] }] };

      const runTurn = async () => {
        const started = performance.now();
        let last;
        for await (const event of runtime.run(turn, { signal })) last = event;
        const ms = performance.now() - started;
        if (last?.type !== 'done' || last.text !== 'ok') throw new Error(`turn ended with ${JSON.stringify(last)}`);
        return ms;
      };
      const readDirectly = async () => {
        const started = performance.now();
        let text = '';
        for await (const event of provider.stream(request, { signal })) if (event.type === 'text_delta') text += event.text;
        const ms = performance.now() - started;
        if (text !== 'ok') throw new Error(`provider said ${JSON.stringify(text)}`);
        return ms;
      };

      for (let i = 0; i < WARMUP_TURNS; i++) {
        await runTurn();
        await readDirectly();
      }
      const values = [];
      const baselines = [];
      // Alternate, flipping the order each round, so load drift hits both sides alike.
      for (let i = 0; i < runs * TURNS_PER_RUN; i++) {
        if (i % 2 === 0) {
          values.push(await runTurn());
          baselines.push(await readDirectly());
        } else {
          baselines.push(await readDirectly());
          values.push(await runTurn());
        }
      }
      const sorted = [...values].sort((a, b) => a - b);
      const us = (ms) => `${(ms * 1000).toFixed(0)} µs`;
      return {
        'runtime-turn': { values, baselines },
        notes: [
          `${values.length} turns: p50 ${us(median(values))}, p90 ${us(percentile(sorted, 90))}, p99 ${us(percentile(sorted, 99))}; direct stream p50 ${us(median(baselines))}`,
        ],
      };
    } finally {
      await kernel.stop('benchmark done');
      // A descriptor passed to PinoLogger is written synchronously, so nothing is left to land
      // on whatever reuses it once it is closed (that once hung the next benchmark here).
      closeSync(devNull);
    }
  },
};
