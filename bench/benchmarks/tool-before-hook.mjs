// What one `tool.before` handler adds to a tool call. Both sides run the agent's real tool-call
// path (agent/tools: tool.before, input validation, the tool, tool.after) on the same ToolSet,
// each with the hook bus of a kernel of its own: ours has one plugin that declares tool.before
// and subscribes an allow-list check letting the call through (as most calls are), activated by
// the hook's first call as in `nexus serve`; the baseline's kernel has no plugin. The tool
// answers at once, so the difference is the hook's own cost.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from '../harness/median.mjs';
import { distDir, kernelEntry } from '../harness/paths.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';

/** Calls per sample: one call takes microseconds, too short to time alone. */
const BATCH = 2_000;
const WARMUP_BATCHES = 20;

const POLICY_MANIFEST = {
  id: 'tool-policy',
  name: 'Tool policy (benchmark)',
  version: '1.0.0',
  main: './index.mjs',
  contributes: { hooks: [{ name: 'tool.before', description: 'Lets allow-listed tools through.' }] },
};

const POLICY_ENTRY = `import { definePlugin } from '@nexus/plugin-sdk';
const allowed = new Set(['echo', 'local_time']);
export default definePlugin({
  register(ctx) {
    ctx.onModify('tool.before', (call) => (allowed.has(call.tool) ? call : { ...call, deny: call.tool + ' is not on the allow list' }));
  },
});
`;

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, child: () => quietLogger };

const echo = {
  name: 'echo',
  description: 'Echoes its text.',
  inputSchema: { type: 'object', additionalProperties: false, required: ['text'], properties: { text: { type: 'string' } } },
  execute: async ({ text }) => ({ content: text }),
};

export default {
  results: [
    {
      name: 'tool-before-hook',
      unit: 'µs',
      what: `one tool call through the agent's tool path with one plugin's tool.before handler (an allow-list check that lets it through), per call (mean of ${BATCH}); baseline: the same call with no handler, same run. value − baseline is what the handler adds`,
      target: { on: 'ratio', max: 1.5 },
    },
  ],
  async run({ runs }) {
    const { Kernel, configFromData } = await import(pathToFileURL(kernelEntry).href);
    const { executeWithHooks, ToolInputValidator, ToolSet } = await import(pathToFileURL(join(distDir, 'builtin-plugins/agent/tools/index.js')).href);
    const contributions = { getAll: async () => [{ name: 'echo', pluginId: 'bench', value: echo }] };
    const tools = await ToolSet.load(contributions, new ToolInputValidator(), quietLogger);

    const root = makeWorkDir('tool-before-hook');
    const pluginDir = join(root, 'tool-policy');
    mkdirSync(pluginDir);
    writeFileSync(join(pluginDir, 'nexus.plugin.json'), JSON.stringify(POLICY_MANIFEST));
    writeFileSync(join(pluginDir, 'index.mjs'), POLICY_ENTRY);
    const kernel = (name, paths) => {
      const home = join(root, name);
      mkdirSync(home);
      return new Kernel({ config: configFromData({ plugins: { load: { paths } } }), home, workspaceDir: root, packageDirs: [], builtinDirs: [], discoveryIndex: false, logger: quietLogger });
    };
    const withPolicy = kernel('with-policy', [pluginDir]);
    const without = kernel('without', []);
    await withPolicy.start();
    await without.start();
    const [hooked, bare] = [withPolicy.hooks, without.hooks];

    const scope = { sessionId: 'bench-session', agentId: 'main', channel: 'bench' };
    const options = { signal: new AbortController().signal, sessionId: scope.sessionId, defaultTimeoutMs: 30_000 };
    const call = { id: 'call-1', name: 'echo', input: { text: 'ping' } };
    const batch = async (hooks) => {
      const started = performance.now();
      for (let i = 0; i < BATCH; i++) {
        const outcome = await executeWithHooks(tools, hooks, call, scope, options);
        if (outcome.content !== 'ping') throw new Error(`the tool call ended with ${JSON.stringify(outcome)}`);
      }
      return ((performance.now() - started) * 1000) / BATCH;
    };

    try {
      // The hook's first call activates the policy plugin; a benchmark of a handler that never ran would say nothing.
      const denied = await hooked.modify('tool.before', { ...scope, tool: 'shell', callId: 'probe', input: {} });
      if (denied.deny === undefined || withPolicy.record('tool-policy')?.state !== 'active') throw new Error('the tool-policy plugin did not handle tool.before');
      return await measure(batch, hooked, bare, runs);
    } finally {
      await withPolicy.stop('benchmark done');
      await without.stop('benchmark done');
    }
  },
};

/** Batches on both sides, alternating and flipping the order each round, so load drift hits both alike. */
async function measure(batch, hooked, bare, runs) {
  const values = [];
  const baselines = [];
  for (let round = 0; round < WARMUP_BATCHES + runs * 10; round++) {
    const [first, second] = round % 2 === 0 ? [hooked, bare] : [bare, hooked];
    const a = await batch(first);
    const b = await batch(second);
    if (round < WARMUP_BATCHES) continue;
    values.push(round % 2 === 0 ? a : b);
    baselines.push(round % 2 === 0 ? b : a);
  }
  const added = median(values.map((v, i) => v - baselines[i]));
  return {
    'tool-before-hook': { values, baselines },
    notes: [`one tool.before handler adds ${added.toFixed(2)} µs per tool call (median of paired differences); a call without handlers takes ${median(baselines).toFixed(2)} µs`],
  };
}
