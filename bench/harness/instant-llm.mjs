// An in-process provider plugin that answers "ok" with usage as fast as an async generator can,
// for benchmarks that measure the runtime around a model call rather than the model. It counts
// the tools each request offered (`offeredTools()`), so a benchmark can check what the model saw.
// With `echo`, the answer is "ok " and the last user text, so a benchmark can tell which message
// a reply answers (the channel benchmarks check loss, duplicates and order by it).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MANIFEST = {
  id: 'instant-llm',
  name: 'Instant LLM (benchmark)',
  version: '1.0.0',
  main: './index.mjs',
  contributes: { providers: [{ name: 'instant', description: 'Answers every call at once.' }] },
};

const entry = (echo) => `import { definePlugin, LlmProviders } from '@nexus/plugin-sdk';
const lastUserText = (request) => {
  const last = request.messages.findLast((m) => m.role === 'user');
  return (last?.content ?? []).filter((p) => p.type === 'text').map((p) => p.text).join('');
};
export const instantFactory = {
  defaultModel: 'instant-1',
  create: (entry) => ({
    id: entry.id,
    defaultModel: entry.defaultModel ?? 'instant-1',
    async *stream(request) {
      globalThis.__instantOfferedTools = request.tools?.length ?? 0;
      yield { type: 'text_delta', text: ${echo ? "'ok ' + lastUserText(request)" : "'ok'"} };
      yield { type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } };
      yield { type: 'done', stopReason: 'end_turn' };
    },
  }),
};
export default definePlugin({
  register(ctx) {
    ctx.contribute(LlmProviders, 'instant').toConstantValue(instantFactory);
  },
});
`;

/** Writes the plugin into `dir` (created) and returns `dir`, for `plugins.load.paths`. */
export function writeInstantLlm(dir, { echo = false } = {}) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'nexus.plugin.json'), JSON.stringify(MANIFEST));
  writeFileSync(join(dir, 'index.mjs'), entry(echo));
  return dir;
}

/** How many tools the last model request offered. */
export function offeredTools() {
  return globalThis.__instantOfferedTools;
}

/** `llm` settings that make `instant` the default provider. */
export const INSTANT_LLM_SETTINGS = { default_provider: 'instant', providers: { instant: { default_model: 'instant-1' } } };
