import { describe, expect, it } from 'vitest';
import { isProviderError, type LlmMessage, type LlmStreamEvent, type ProviderError } from '@nexus/plugin-sdk';
import { anthropicFactory } from '../../../src/builtin-plugins/anthropic/anthropic-provider.js';
import { httpError, startFakeAnthropic, textReply, toolCallReply, type FakeLlmServer } from '../../fixtures/llm-servers/index.js';
import { request, streamOnce, texts, userText } from './provider-test-kit.js';

function provider(server: FakeLlmServer, apiKey = 'sk-ant-test') {
  return anthropicFactory.create({ id: 'claude', type: 'anthropic', apiKey, baseUrl: server.url });
}

function failure(error: unknown): ProviderError {
  expect(isProviderError(error)).toBe(true);
  return error as ProviderError;
}

describe('anthropic provider: streaming', () => {
  it('streams text deltas as they arrive, then usage from message_start and message_delta, then done', async () => {
    await using server = await startFakeAnthropic({ apiKey: 'sk-ant-test' });
    server.push({ kind: 'stream', text: ['Hel', 'lo'], usage: { input: 21, output: 7 } });

    const { events, error } = await streamOnce(provider(server));
    expect(error).toBeUndefined();
    expect(events).toEqual<LlmStreamEvent[]>([
      { type: 'text_delta', text: 'Hel' },
      { type: 'text_delta', text: 'lo' },
      { type: 'usage', usage: { inputTokens: 21, outputTokens: 7 } },
      { type: 'done', stopReason: 'end_turn' },
    ]);
  });

  it('posts a streaming Messages request with the system prompt in its own field and a default max_tokens', async () => {
    await using server = await startFakeAnthropic();
    server.push(textReply('ok'));
    await streamOnce(provider(server), request({ model: 'claude-test', system: 'Be brief.' }));

    const [sent] = server.streamRequests;
    expect(sent!.path).toBe('/v1/messages');
    expect(sent!.apiKey).toBe('sk-ant-test');
    expect(sent!.body).toEqual({
      model: 'claude-test',
      max_tokens: 4096,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      stream: true,
    });
  });

  it('maps max_tokens and other stop reasons', async () => {
    await using server = await startFakeAnthropic();
    server.push({ kind: 'stream', text: ['cut'], stopReason: 'max_tokens' }, { kind: 'stream', text: ['no'], stopReason: 'refusal' });
    expect((await streamOnce(provider(server))).events.at(-1)).toEqual({ type: 'done', stopReason: 'max_tokens' });
    expect((await streamOnce(provider(server))).events.at(-1)).toEqual({ type: 'done', stopReason: 'other' });
  });

  it('refuses to create an entry without a key, saying where to put one', () => {
    expect(() => anthropicFactory.create({ id: 'anthropic', type: 'anthropic' })).toThrowError(
      expect.objectContaining({ reason: 'auth', message: 'no API key for llm.providers.anthropic: set ANTHROPIC_API_KEY, or llm.providers.anthropic.api_key in nexus.yaml' }),
    );
  });
});

describe('anthropic provider: tools', () => {
  const tools = [{ name: 'get_weather', description: 'Weather for a city', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }];

  it('collects tool_use input JSON until content_block_stop and emits the call complete', async () => {
    await using server = await startFakeAnthropic();
    server.push(toolCallReply([{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris', days: [1, 2] }, pieces: 5 }], ['Let me check.']));
    const { events } = await streamOnce(provider(server), request({ tools }));
    expect(events).toEqual<LlmStreamEvent[]>([
      { type: 'text_delta', text: 'Let me check.' },
      { type: 'tool_call', call: { id: 'toolu_1', name: 'get_weather', input: { city: 'Paris', days: [1, 2] } } },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 5 } },
      { type: 'done', stopReason: 'tool_use' },
    ]);
    expect(server.streamRequests[0]!.body.tools).toEqual([{ name: 'get_weather', description: 'Weather for a city', input_schema: tools[0]!.inputSchema }]);
  });

  it('round-trips tool calls over several iterations, mapping tool_use and tool_result blocks both ways', async () => {
    await using server = await startFakeAnthropic();
    server.push(
      toolCallReply([{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }], ['Checking Paris.']),
      toolCallReply([
        { id: 'toolu_2', name: 'get_weather', input: { city: 'Oslo' } },
        { id: 'toolu_3', name: 'get_weather', input: { city: 'Rome' } },
      ]),
      textReply('Done: sunny, offline, warm.'),
    );
    const anthropic = provider(server);
    const history: LlmMessage[] = [userText('Weather in Paris, Oslo and Rome?')];
    const results: Record<string, { content: string; isError?: boolean }> = {
      toolu_1: { content: 'sunny' },
      toolu_2: { content: 'station offline', isError: true },
      toolu_3: { content: 'warm' },
    };
    let answer = '';
    for (let iteration = 0; iteration < 5; iteration++) {
      const { events, error } = await streamOnce(anthropic, request({ tools, messages: history }));
      expect(error).toBeUndefined();
      const calls = events.flatMap((e) => (e.type === 'tool_call' ? [e.call] : []));
      answer = texts(events);
      if (calls.length === 0) break;
      history.push({ role: 'assistant', content: [...(answer ? [{ type: 'text' as const, text: answer }] : []), ...calls.map((call) => ({ type: 'tool_call' as const, call }))] });
      history.push({ role: 'user', content: calls.map((call) => ({ type: 'tool_result' as const, callId: call.id, ...results[call.id]! })) });
    }
    expect(answer).toBe('Done: sunny, offline, warm.');
    expect(server.streamRequests[2]!.body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris, Oslo and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking Paris.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'sunny' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Oslo' } },
          { type: 'tool_use', id: 'toolu_3', name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_2', content: 'station offline', is_error: true },
          { type: 'tool_result', tool_use_id: 'toolu_3', content: 'warm' },
        ],
      },
    ]);
  });

  it('puts tool results before text in a user message, as the API requires', async () => {
    await using server = await startFakeAnthropic();
    server.push(textReply('ok'));
    const messages: LlmMessage[] = [
      { role: 'user', content: [{ type: 'text', text: 'and also this' }, { type: 'tool_result', callId: 'toolu_9', content: '42' }] },
      { role: 'assistant', content: [{ type: 'text', text: '' }] },
    ];
    await streamOnce(provider(server), request({ messages }));
    expect(server.streamRequests[0]!.body.messages).toEqual([
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: '42' }, { type: 'text', text: 'and also this' }] },
    ]);
  });
});

describe('anthropic provider: failures', () => {
  const cases = [
    { status: 400, reason: 'invalid_request', code: 'invalid_request_error' },
    { status: 401, reason: 'auth', code: 'authentication_error' },
    { status: 402, reason: 'billing', code: 'billing_error' },
    { status: 403, reason: 'auth', code: 'permission_error' },
    { status: 404, reason: 'model_unavailable', code: 'not_found_error' },
    { status: 429, reason: 'rate_limit', code: 'rate_limit_error' },
    { status: 500, reason: 'server_error', code: 'api_error' },
    { status: 529, reason: 'server_error', code: 'overloaded_error' },
  ] as const;

  it.each(cases)('classifies a $status $code body as $reason, keeping status, code and request id', async ({ status, reason, code }) => {
    await using server = await startFakeAnthropic();
    server.push(httpError(status));
    const error = failure((await streamOnce(provider(server))).error);
    expect(error).toMatchObject({ reason, status, code, provider: 'claude', model: 'test-model', requestId: 'req_fake_1' });
  });

  it('classifies "prompt is too long" as context_length', async () => {
    await using server = await startFakeAnthropic();
    server.push(httpError(400, { message: 'prompt is too long: 210000 tokens > 200000 maximum' }));
    expect(failure((await streamOnce(provider(server))).error)).toMatchObject({ reason: 'context_length', status: 400 });
  });

  it('reads retry-after on a 429', async () => {
    await using server = await startFakeAnthropic();
    server.push(httpError(429, { headers: { 'retry-after': '3' } }));
    expect(failure((await streamOnce(provider(server))).error)).toMatchObject({ reason: 'rate_limit', retryAfterMs: 3000 });
  });

  it('reports an overloaded_error event inside a 200 stream as a retryable server error', async () => {
    await using server = await startFakeAnthropic();
    server.push({ kind: 'stream', text: ['a', 'b', 'c'], endAfter: 2, end: { error: { type: 'overloaded_error', message: 'Overloaded' } } });
    const { events, error } = await streamOnce(provider(server));
    expect(texts(events)).toBe('ab');
    expect(failure(error)).toMatchObject({ reason: 'server_error', code: 'overloaded_error', message: 'Overloaded', requestId: 'req_fake_1' });
  });

  it('turns malformed SSE into a clear server_error', async () => {
    await using server = await startFakeAnthropic();
    server.push({ kind: 'stream', text: ['partial'], end: 'malformed' });
    const { events, error } = await streamOnce(provider(server));
    expect(texts(events)).toBe('partial');
    expect(failure(error).reason).toBe('server_error');
    expect((error as Error).message).toMatch(/^the server sent a stream event that is not valid JSON/);
  });

  it('reports a connection dropped mid-stream as a network failure', async () => {
    await using server = await startFakeAnthropic();
    server.push({ kind: 'stream', text: ['one ', 'two ', 'three'], end: 'disconnect', endAfter: 1 });
    const { events, error } = await streamOnce(provider(server));
    expect(texts(events)).toBe('one ');
    expect(failure(error)).toMatchObject({ reason: 'network' });
  });

  it('reports a stream that ends without message_stop as incomplete', async () => {
    await using server = await startFakeAnthropic();
    const start = { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } };
    server.push({ kind: 'raw', status: 200, headers: { 'content-type': 'text/event-stream' }, body: `event: message_start\ndata: ${JSON.stringify(start)}\n\n` });
    const { error } = await streamOnce(provider(server));
    expect(failure(error)).toMatchObject({ reason: 'network' });
    expect((error as Error).message).toMatch(/ended before message_stop/);
  });

  it('stops the HTTP request when the signal aborts', async () => {
    await using server = await startFakeAnthropic();
    server.push({ kind: 'stream', text: ['first', 'second'], chunkDelayMs: 5_000 });
    const controller = new AbortController();
    let thrown: unknown;
    try {
      for await (const event of provider(server).stream(request(), { signal: controller.signal })) {
        if (event.type === 'text_delta') controller.abort(new Error('user cancelled'));
      }
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toEqual(new Error('user cancelled'));
    await server.streamRequests[0]!.closed;
    expect(server.streamRequests[0]!.completed).toBe(false);
  });
});
