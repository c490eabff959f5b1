import { describe, expect, it } from 'vitest';
import { isProviderError, type LlmMessage, type LlmStreamEvent, type ProviderError } from '@nexus/plugin-sdk';
import { openaiFactory } from '../../../src/builtin-plugins/openai/openai-provider.js';
import { chatCompletionRequest } from '../../../src/builtin-plugins/openai/request-mapping.js';
import { httpError, openaiBaseUrl, startFakeOpenAI, textReply, toolCallReply, type FakeLlmServer } from '../../fixtures/llm-servers/index.js';
import { request, streamOnce, texts, userText } from './provider-test-kit.js';

function provider(server: FakeLlmServer, apiKey = 'sk-test') {
  return openaiFactory.create({ id: 'local', type: 'openai', apiKey, baseUrl: openaiBaseUrl(server) });
}

function failure(error: unknown): ProviderError {
  expect(isProviderError(error)).toBe(true);
  return error as ProviderError;
}

describe('openai provider: streaming', () => {
  it('streams text deltas as they arrive, then usage and done', async () => {
    await using server = await startFakeOpenAI({ apiKey: 'sk-test' });
    server.push({ kind: 'stream', text: ['Hel', 'lo', ' there'], usage: { input: 12, output: 3 } });

    const { events, error } = await streamOnce(provider(server));
    expect(error).toBeUndefined();
    expect(events).toEqual<LlmStreamEvent[]>([
      { type: 'text_delta', text: 'Hel' },
      { type: 'text_delta', text: 'lo' },
      { type: 'text_delta', text: ' there' },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 3 } },
      { type: 'done', stopReason: 'end_turn' },
    ]);
  });

  it('posts a streaming Chat Completions request to {base_url}/chat/completions with usage requested', async () => {
    await using server = await startFakeOpenAI();
    server.push(textReply('ok'));
    await streamOnce(provider(server), request({ model: 'llama3.2', system: 'Be brief.', maxTokens: 256 }));

    const [sent] = server.streamRequests;
    expect(sent!.path).toBe('/v1/chat/completions');
    expect(sent!.apiKey).toBe('sk-test');
    expect(sent!.body).toEqual({
      model: 'llama3.2',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      // A compatible server (base_url set) gets max_tokens; the official API max_completion_tokens.
      max_tokens: 256,
    });
  });

  it('asks the official API for max_completion_tokens, which its reasoning models require', () => {
    const params = chatCompletionRequest(request({ maxTokens: 100 }), true);
    expect(params.max_completion_tokens).toBe(100);
    expect(params).not.toHaveProperty('max_tokens');
  });

  it('reports max_tokens and content-filter stops', async () => {
    await using server = await startFakeOpenAI();
    server.push({ kind: 'stream', text: ['cut'], stopReason: 'length' }, { kind: 'stream', text: [], stopReason: 'content_filter' });
    expect((await streamOnce(provider(server))).events.at(-1)).toEqual({ type: 'done', stopReason: 'max_tokens' });
    expect((await streamOnce(provider(server))).events.at(-1)).toEqual({ type: 'done', stopReason: 'other' });
  });

  it('works without a key against a local server, as Ollama needs', async () => {
    await using server = await startFakeOpenAI();
    server.push(textReply('local answer'));
    const local = openaiFactory.create({ id: 'ollama', type: 'openai', baseUrl: openaiBaseUrl(server) });
    const { events } = await streamOnce(local);
    expect(texts(events)).toBe('local answer');
  });

  it('refuses to create an entry for the official API without a key, saying where to put one', () => {
    expect(() => openaiFactory.create({ id: 'openai', type: 'openai' })).toThrowError(
      expect.objectContaining({ reason: 'auth', message: 'no API key for llm.providers.openai: set OPENAI_API_KEY, or llm.providers.openai.api_key in nexus.yaml' }),
    );
  });
});

describe('openai provider: tools', () => {
  const tools = [{ name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];

  it('accumulates tool calls by index and emits each complete, after the text', async () => {
    await using server = await startFakeOpenAI();
    server.push(
      toolCallReply(
        [
          { id: 'call_a', name: 'get_weather', input: { city: 'Paris' }, pieces: 4 },
          { id: 'call_b', name: 'get_weather', input: { city: 'Oslo' }, pieces: 3 },
        ],
        ['Checking.'],
      ),
    );
    const { events } = await streamOnce(provider(server), request({ tools }));
    expect(events).toEqual<LlmStreamEvent[]>([
      { type: 'text_delta', text: 'Checking.' },
      { type: 'tool_call', call: { id: 'call_a', name: 'get_weather', input: { city: 'Paris' } } },
      { type: 'tool_call', call: { id: 'call_b', name: 'get_weather', input: { city: 'Oslo' } } },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 5 } },
      { type: 'done', stopReason: 'tool_use' },
    ]);
    expect(server.streamRequests[0]!.body.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Weather for a city', parameters: tools[0]!.inputSchema } },
    ]);
  });

  it('passes arguments that are not JSON on as the raw string', async () => {
    await using server = await startFakeOpenAI();
    server.push({
      kind: 'raw',
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      body: [
        'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_x","type":"function","function":{"name":"get_weather","arguments":"{city: Paris"}}]},"finish_reason":null}]}',
        'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}',
        'data: [DONE]',
        '',
      ].join('\n\n'),
    });
    const { events } = await streamOnce(provider(server), request({ tools }));
    expect(events[0]).toEqual({ type: 'tool_call', call: { id: 'call_x', name: 'get_weather', input: '{city: Paris' } });
  });

  it('round-trips tool calls over several iterations, mapping calls and results both ways', async () => {
    await using server = await startFakeOpenAI();
    server.push(
      toolCallReply([{ id: 'call_1', name: 'get_weather', input: { city: 'Paris' } }]),
      toolCallReply([{ id: 'call_2', name: 'get_weather', input: { city: 'Oslo' } }], ['Now Oslo.']),
      textReply('Paris is sunny, Oslo is not.'),
    );
    const openai = provider(server);
    const history: LlmMessage[] = [userText('Weather in Paris and Oslo?')];
    const results: Record<string, { content: string; isError?: boolean }> = {
      call_1: { content: '22°C, sunny' },
      call_2: { content: 'station offline', isError: true },
    };
    let answer = '';
    for (let iteration = 0; iteration < 5; iteration++) {
      const { events, error } = await streamOnce(openai, request({ tools, messages: history }));
      expect(error).toBeUndefined();
      const calls = events.flatMap((e) => (e.type === 'tool_call' ? [e.call] : []));
      answer = texts(events);
      if (calls.length === 0) break;
      history.push({ role: 'assistant', content: [...(answer ? [{ type: 'text' as const, text: answer }] : []), ...calls.map((call) => ({ type: 'tool_call' as const, call }))] });
      history.push({ role: 'user', content: calls.map((call) => ({ type: 'tool_result' as const, callId: call.id, ...results[call.id]! })) });
    }
    expect(answer).toBe('Paris is sunny, Oslo is not.');
    expect(server.streamRequests).toHaveLength(3);
    expect(server.streamRequests[2]!.body.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Oslo?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '22°C, sunny' },
      { role: 'assistant', content: 'Now Oslo.', tool_calls: [{ id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] },
      { role: 'tool', tool_call_id: 'call_2', content: 'Error: station offline' },
    ]);
  });
});

describe('openai provider: failures', () => {
  const cases = [
    { status: 400, reason: 'invalid_request', code: undefined },
    { status: 401, reason: 'auth', code: 'invalid_api_key' },
    { status: 402, reason: 'billing', code: '402' },
    { status: 404, reason: 'model_unavailable', code: 'model_not_found' },
    { status: 429, reason: 'rate_limit', code: 'rate_limit_exceeded' },
    { status: 500, reason: 'server_error', code: undefined },
    { status: 503, reason: 'server_error', code: undefined },
  ] as const;

  it.each(cases)('classifies a $status error body as $reason, keeping status, code and request id', async ({ status, reason, code }) => {
    await using server = await startFakeOpenAI();
    server.push(httpError(status));
    const error = failure((await streamOnce(provider(server))).error);
    expect(error).toMatchObject({ reason, status, provider: 'local', model: 'test-model', requestId: 'req_fake_1' });
    if (code !== undefined) expect(error.code).toBe(code);
    expect(error.message).not.toBe('');
  });

  it('classifies insufficient_quota on a 429 as billing, so the chain fails over instead of waiting', async () => {
    await using server = await startFakeOpenAI();
    server.push(httpError(429, { type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota, please check your plan and billing details.' }));
    expect(failure((await streamOnce(provider(server))).error)).toMatchObject({ reason: 'billing', status: 429, code: 'insufficient_quota' });
  });

  it('reads retry-after and retry-after-ms', async () => {
    await using server = await startFakeOpenAI();
    server.push(httpError(429, { headers: { 'retry-after': '7' } }), httpError(429, { headers: { 'retry-after-ms': '250', 'retry-after': '7' } }));
    expect(failure((await streamOnce(provider(server))).error).retryAfterMs).toBe(7000);
    expect(failure((await streamOnce(provider(server))).error).retryAfterMs).toBe(250);
  });

  it('says which setting to check when the key is rejected', async () => {
    await using server = await startFakeOpenAI({ apiKey: 'sk-right' });
    const error = failure((await streamOnce(provider(server, 'sk-wrong'))).error);
    expect(error.reason).toBe('auth');
    expect(error.message).toContain('(check llm.providers.local.api_key or OPENAI_API_KEY)');
  });

  it('turns malformed SSE into a clear server_error after the text that did arrive', async () => {
    await using server = await startFakeOpenAI();
    server.push({ kind: 'stream', text: ['partial'], end: 'malformed' });
    const { events, error } = await streamOnce(provider(server));
    expect(texts(events)).toBe('partial');
    expect(failure(error)).toMatchObject({ reason: 'server_error' });
    expect((error as Error).message).toMatch(/^the server sent a stream event that is not valid JSON/);
  });

  it('reports an error object inside the stream', async () => {
    await using server = await startFakeOpenAI();
    server.push({ kind: 'stream', text: ['a'], end: { error: { type: 'server_error', message: 'The server had an error' } } });
    const { events, error } = await streamOnce(provider(server));
    expect(texts(events)).toBe('a');
    expect(failure(error)).toMatchObject({ reason: 'server_error', message: 'The server had an error' });
  });

  it('reports a connection dropped mid-stream as a network failure', async () => {
    await using server = await startFakeOpenAI();
    server.push({ kind: 'stream', text: ['one ', 'two ', 'three'], end: 'disconnect', endAfter: 2 });
    const { events, error } = await streamOnce(provider(server));
    expect(texts(events)).toBe('one two ');
    expect(failure(error)).toMatchObject({ reason: 'network' });
    expect((error as Error).message).toMatch(/closed in the middle of the response/);
  });

  it('reports a stream that ends cleanly but without a finish reason as incomplete', async () => {
    await using server = await startFakeOpenAI();
    server.push({ kind: 'raw', status: 200, headers: { 'content-type': 'text/event-stream' }, body: 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"half"},"finish_reason":null}]}\n\n' });
    const { error } = await streamOnce(provider(server));
    expect(failure(error)).toMatchObject({ reason: 'network' });
    expect((error as Error).message).toMatch(/ended before the response was complete/);
  });

  it('reports a server that is not listening as a network failure naming the URL', async () => {
    const server = await startFakeOpenAI();
    const gone = provider(server);
    await server.close();
    const error = failure((await streamOnce(gone)).error);
    expect(error.reason).toBe('network');
    expect(error.message).toContain(`cannot reach ${openaiBaseUrl(server)}`);
  });

  it('stops the HTTP request when the signal aborts, and throws the abort reason', async () => {
    await using server = await startFakeOpenAI();
    server.push({ kind: 'stream', text: ['first', 'second', 'third'], chunkDelayMs: 5_000 });
    const controller = new AbortController();
    const events: LlmStreamEvent[] = [];
    let thrown: unknown;
    try {
      for await (const event of provider(server).stream(request(), { signal: controller.signal })) {
        events.push(event);
        controller.abort(new Error('user cancelled'));
      }
    } catch (error) {
      thrown = error;
    }
    expect(events).toEqual([{ type: 'text_delta', text: 'first' }]);
    expect(thrown).toEqual(new Error('user cancelled'));
    await server.streamRequests[0]!.closed;
    expect(server.streamRequests[0]!.completed).toBe(false);
  });
});
