import type { KindTemplate } from './kind-template.js';

/** An LLM provider type speaking the OpenAI-compatible `/chat/completions` API (text only). */
export const providerTemplate: KindTemplate = {
  summary: 'an LLM provider type (`llm.providers.<id>.type`)',
  contributes: (n) => ({ providers: [{ name: n.short, description: 'An OpenAI-compatible /chat/completions endpoint, text only.' }] }),
  entry: (n) => `import {
  classifyProviderFailure,
  definePlugin,
  LlmProviders,
  ProviderError,
  retryAfterMsFromHeaders,
  type LlmProvider,
  type LlmProviderEntry,
  type LlmProviderFactory,
  type LlmRequest,
  type LlmStreamEvent,
  type ProviderFailureSignals,
} from '@nexus/plugin-sdk';
import { redactUrl } from '@nexus/plugin-sdk/provider';

interface CompletionAnswer {
  readonly choices?: readonly { readonly message?: { readonly content?: string | null } }[];
  readonly usage?: { readonly prompt_tokens?: number; readonly completion_tokens?: number };
  readonly error?: { readonly code?: string; readonly type?: string; readonly message?: string };
}

/** One configured \`llm.providers\` entry of type \`${n.short}\`. */
export class ${n.pascal}Provider implements LlmProvider {
  readonly id: string;
  readonly defaultModel: string;
  private readonly baseUrl: string;

  constructor(private readonly entry: LlmProviderEntry) {
    this.id = entry.id;
    this.defaultModel = entry.defaultModel ?? '${n.short}-default';
    this.baseUrl = (entry.baseUrl ?? 'http://127.0.0.1:8000/v1').replace(/\\/$/, '');
  }

  async *stream(request: LlmRequest, options: { readonly signal: AbortSignal }): AsyncIterable<LlmStreamEvent> {
    // Every failure leaves as a ProviderError whose reason the failover chain understands; it
    // retries and fails over itself, so this never retries.
    const fail = (signals: ProviderFailureSignals & { readonly retryAfterMs?: number; readonly cause?: unknown }) =>
      new ProviderError({ ...signals, reason: classifyProviderFailure(signals), provider: this.id, model: request.model, message: signals.message ?? 'failed' });
    const messages = [
      ...(request.system ? [{ role: 'system', content: request.system }] : []),
      // Text only: a provider with tool use maps tool_call and tool_result parts too.
      ...request.messages.map((m) => ({ role: m.role, content: m.content.map((part) => (part.type === 'text' ? part.text : '')).join('') })),
    ];
    let response: Response;
    try {
      response = await fetch(\`\${this.baseUrl}/chat/completions\`, {
        method: 'POST',
        signal: options.signal, // cancelling the turn closes the request
        headers: { 'content-type': 'application/json', ...(this.entry.apiKey ? { authorization: \`Bearer \${this.entry.apiKey}\` } : {}) },
        body: JSON.stringify({ model: request.model, messages, ...(request.maxTokens ? { max_tokens: request.maxTokens } : {}) }),
      });
    } catch (error) {
      if (options.signal.aborted) throw error;
      throw fail({ message: \`cannot reach \${redactUrl(this.baseUrl)}: \${(error as Error).message}\`, cause: error });
    }
    const answer = (await response.json().catch(() => ({}))) as CompletionAnswer;
    if (!response.ok) {
      throw fail({
        status: response.status,
        code: answer.error?.code,
        type: answer.error?.type,
        message: answer.error?.message ?? response.statusText,
        retryAfterMs: retryAfterMsFromHeaders((name) => response.headers.get(name)),
      });
    }
    yield { type: 'text_delta', text: answer.choices?.[0]?.message?.content ?? '' };
    yield { type: 'usage', usage: { inputTokens: answer.usage?.prompt_tokens ?? 0, outputTokens: answer.usage?.completion_tokens ?? 0 } };
    yield { type: 'done', stopReason: 'end_turn' };
  }
}

export const ${n.camel}Factory: LlmProviderFactory = {
  apiKeyEnv: '${n.snake.toUpperCase()}_API_KEY', // used when llm.providers.<id>.api_key is not set
  defaultModel: '${n.short}-default', // used when the entry sets no default_model
  create: (entry) => new ${n.pascal}Provider(entry),
};

export default definePlugin({
  register(ctx) {
    ctx.contribute(LlmProviders, '${n.short}').toConstantValue(${n.camel}Factory);
  },
});
`,
  test: (n) => `import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { verifyPluginContract } from '@nexus/plugin-sdk/testing';
import { ${n.pascal}Provider } from '../dist/index.js';

const plugin = fileURLToPath(new URL('..', import.meta.url));

/** A local server answering every request with \`status\` and \`body\`, remembering what it got. */
async function serve(status, body) {
  const received = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      received.push({ path: req.url, auth: req.headers.authorization, body: JSON.parse(text) });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: \`http://127.0.0.1:\${server.address().port}/v1\`, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function collect(provider, request) {
  const events = [];
  for await (const event of provider.stream(request, { signal: AbortSignal.timeout(5000) })) events.push(event);
  return events;
}

test('honours its manifest', async () => {
  const report = await verifyPluginContract({ plugin });
  assert.deepEqual(report.problems, []);
  assert.deepEqual(report.resolved, ['providers:${n.short}']);
});

test('sends the conversation and yields the answer with its usage', async () => {
  const api = await serve(200, { choices: [{ message: { content: 'Hi there' } }], usage: { prompt_tokens: 5, completion_tokens: 2 } });
  try {
    const provider = new ${n.pascal}Provider({ id: 'local', type: '${n.short}', baseUrl: api.baseUrl, apiKey: 'sk-test' });
    const events = await collect(provider, { model: 'm1', system: 'Be brief.', messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }] });
    assert.deepEqual(events, [
      { type: 'text_delta', text: 'Hi there' },
      { type: 'usage', usage: { inputTokens: 5, outputTokens: 2 } },
      { type: 'done', stopReason: 'end_turn' },
    ]);
    assert.deepEqual(api.received, [{ path: '/v1/chat/completions', auth: 'Bearer sk-test', body: { model: 'm1', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello' }] } }]);
  } finally {
    await api.close();
  }
});

test('turns a 429 into a rate_limit ProviderError with the server-given wait', async () => {
  const api = await serve(429, { error: { message: 'slow down' } });
  try {
    const provider = new ${n.pascal}Provider({ id: 'local', type: '${n.short}', baseUrl: api.baseUrl });
    await assert.rejects(collect(provider, { model: 'm1', messages: [] }), (error) => error.reason === 'rate_limit' && /slow down/.test(error.message));
  } finally {
    await api.close();
  }
});
`,
  readme: (n) => `Contributes the \`${n.short}\` provider type, for any OpenAI-compatible \`/chat/completions\`
endpoint (text only; map tool calls both ways to let the agent use tools). Configure an entry:

\`\`\`yaml
llm:
  default_provider: local
  providers:
    local:
      type: ${n.short}
      base_url: http://127.0.0.1:8000/v1
      default_model: my-model
\`\`\`

The API key comes from \`api_key\` or \`${n.snake.toUpperCase()}_API_KEY\`.
`,
};
