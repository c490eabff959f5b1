import { describe, expect, it } from 'vitest';
import { httpError, openaiBaseUrl, startFakeOpenAI, textReply } from '../../fixtures/llm-servers/index.js';
import { chainEvents, providerError, texts, testModelClient, twoProviders } from './provider-test-kit.js';

describe('failover chain', () => {
  it('answers from the default provider, announcing the attempt first', async () => {
    await using servers = await twoProviders();
    servers.anthropic.push(textReply('Hel', 'lo'));
    const { run, failures } = testModelClient(servers.llm);

    const { events, error } = await run();
    expect(error).toBeUndefined();
    expect(events).toEqual([
      { type: 'attempt', candidate: { provider: 'anthropic', model: 'claude-test' }, attempt: 1, iteration: 1 },
      { type: 'text_delta', text: 'Hel' },
      { type: 'text_delta', text: 'lo' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 5 } },
      { type: 'done', stopReason: 'end_turn' },
    ]);
    expect(failures).toEqual([]);
  });

  it('fails over to the next candidate on a 401, without retrying', async () => {
    await using servers = await twoProviders({ primary: { api_key: 'sk-revoked' } });
    servers.local.push(textReply('from the fallback'));
    const { run, failures, time } = testModelClient(servers.llm);

    const { events, error } = await run();
    expect(error).toBeUndefined();
    expect(texts(events)).toBe('from the fallback');
    expect(chainEvents(events)).toEqual(['attempt anthropic/claude-test #1', 'failover anthropic/claude-test -> local/llama-test (auth)', 'attempt local/llama-test #1']);
    expect(failures).toEqual([{ provider: 'anthropic', model: 'claude-test', reason: 'auth', status: 401, next: 'failover' }]);
    expect(time.sleeps).toEqual([]);
    expect(servers.anthropic.streamRequests).toHaveLength(1);
  });

  it('fails over on billing (402) and on an unknown model (404)', async () => {
    await using servers = await twoProviders();
    servers.anthropic.push(httpError(402), httpError(404));
    servers.local.push(textReply('one'), textReply('two'));
    const { run, failures } = testModelClient(servers.llm);

    expect(texts((await run()).events)).toBe('one');
    expect(texts((await run()).events)).toBe('two');
    expect(failures.map((f) => `${f.reason}:${f.next}`)).toEqual(['billing:failover', 'model_unavailable:failover']);
  });

  it('fails over when the primary has no API key at all', async () => {
    await using servers = await twoProviders({ primary: { api_key: undefined } });
    servers.local.push(textReply('fallback'));
    const { run, failures } = testModelClient(servers.llm);

    const { events } = await run();
    expect(texts(events)).toBe('fallback');
    expect(events[1]).toMatchObject({ type: 'failover', reason: 'auth', message: expect.stringContaining('set ANTHROPIC_API_KEY') });
    expect(failures).toEqual([{ provider: 'anthropic', model: 'claude-test', reason: 'auth', status: undefined, next: 'failover' }]);
    expect(servers.anthropic.requests).toHaveLength(0);
  });

  it('skips a provider with no API key on every call, with the reason, and never puts it on cooldown', async () => {
    await using servers = await twoProviders({ primary: { api_key: undefined } });
    servers.local.always(textReply('fallback'));
    const { run, logger } = testModelClient(servers.llm, { policy: { cooldownAfterFailures: 3 } });

    for (let turn = 1; turn <= 4; turn++) {
      const { events } = await run();
      expect(texts(events)).toBe('fallback');
      expect(events[1]).toMatchObject({ type: 'failover', reason: 'auth' });
    }
    const skips = logger.entries.filter((e) => e.msg === 'skipping a provider that cannot be set up');
    expect(skips).toHaveLength(4);
    expect(skips[0]!.fields).toMatchObject({ provider: 'anthropic', reason: 'auth', error: expect.stringContaining('no API key'), next: 'failover' });
    expect(logger.entries.filter((e) => e.msg === 'skipping a provider in cooldown' || 'cooldownMs' in e.fields)).toEqual([]);
  });

  it('leaves fields a failure does not have out of its log line', async () => {
    await using servers = await twoProviders({ primary: { api_key: undefined } });
    servers.local.push(textReply('fallback'));
    const { run, logger } = testModelClient(servers.llm);

    await run();
    const line = logger.entries.find((e) => e.level === 'warn')!;
    expect(Object.keys(line.fields)).not.toContain('status');
    expect(Object.keys(line.fields)).not.toContain('code');
    expect(Object.keys(line.fields)).not.toContain('requestId');
  });

  it('names the providers it skipped, and why, in the error a call ends with', async () => {
    await using servers = await twoProviders();
    servers.anthropic.always(httpError(503));
    servers.local.push(textReply('fallback'));
    servers.local.always(httpError(500));
    const { run } = testModelClient(servers.llm, { policy: { cooldownAfterFailures: 3, cooldownMs: 60_000 } });

    expect(texts((await run()).events)).toBe('fallback');
    const { error } = await run();
    expect(providerError(error).provider).toBe('local');
    expect(providerError(error).message).toContain('skipped: anthropic (cooling down for 60 s more after 3 failed attempts in a row, the last one server_error)');
  });

  it('names a provider it could not set up in the error when the rest fail too', async () => {
    await using servers = await twoProviders({ primary: { api_key: undefined } });
    servers.local.always(httpError(500));
    const { run } = testModelClient(servers.llm);

    const { error } = await run();
    expect(providerError(error).reason).toBe('server_error');
    expect(providerError(error).message).toMatch(/skipped: anthropic \(no API key for llm\.providers\.anthropic: set ANTHROPIC_API_KEY/);
  });

  it('retries a 429 after exactly the wait retry-after asks for', async () => {
    await using servers = await twoProviders();
    servers.anthropic.push(httpError(429, { headers: { 'retry-after': '2' } }), textReply('after waiting'));
    const { run, failures, time } = testModelClient(servers.llm);

    const { events } = await run();
    expect(texts(events)).toBe('after waiting');
    expect(time.sleeps).toEqual([2000]);
    expect(chainEvents(events)).toEqual([
      'attempt anthropic/claude-test #1',
      'failover anthropic/claude-test -> anthropic/claude-test (rate_limit, in 2000 ms)',
      'attempt anthropic/claude-test #2',
    ]);
    expect(failures).toEqual([{ provider: 'anthropic', model: 'claude-test', reason: 'rate_limit', status: 429, next: 'retry' }]);
    expect(servers.local.streamRequests).toHaveLength(0);
  });

  it('backs off exponentially with jitter between retries of a 500 and a 529', async () => {
    await using servers = await twoProviders();
    servers.anthropic.push(httpError(500), httpError(529), textReply('third time'));
    const { run, time } = testModelClient(servers.llm, { policy: { baseDelayMs: 1000, maxDelayMs: 60_000 } });

    expect(texts((await run()).events)).toBe('third time');
    // random() is 0.5: half the doubled delay plus half of the other half.
    expect(time.sleeps).toEqual([750, 1500]);
  });

  it('caps the backoff at maxDelayMs', async () => {
    await using servers = await twoProviders({ primary: { max_retries: 4 } });
    servers.anthropic.push(httpError(500), httpError(500), httpError(500), httpError(500), textReply('ok'));
    const { run, time } = testModelClient(servers.llm, { policy: { baseDelayMs: 1000, maxDelayMs: 2000, cooldownAfterFailures: 10 } });

    expect(texts((await run()).events)).toBe('ok');
    expect(time.sleeps).toEqual([750, 1500, 1500, 1500]);
  });

  it('fails over when retries run out', async () => {
    await using servers = await twoProviders();
    servers.anthropic.push(httpError(500), httpError(500), httpError(500));
    servers.local.push(textReply('fallback answer'));
    const { run, failures } = testModelClient(servers.llm);

    const { events } = await run();
    expect(texts(events)).toBe('fallback answer');
    expect(failures.map((f) => f.next)).toEqual(['retry', 'retry', 'failover']);
    expect(servers.anthropic.streamRequests).toHaveLength(3);
    expect(chainEvents(events).at(-2)).toBe('failover anthropic/claude-test -> local/llama-test (server_error)');
  });

  it('fails over instead of waiting out a retry-after longer than the limit', async () => {
    await using servers = await twoProviders();
    servers.anthropic.push(httpError(429, { headers: { 'retry-after': '600' } }));
    servers.local.push(textReply('no waiting'));
    const { run, time, failures } = testModelClient(servers.llm);

    expect(texts((await run()).events)).toBe('no waiting');
    expect(time.sleeps).toEqual([]);
    expect(failures[0]).toMatchObject({ reason: 'rate_limit', next: 'failover' });
  });

  it('gives up on the last candidate, throwing its ProviderError', async () => {
    await using servers = await twoProviders();
    servers.anthropic.push(httpError(401));
    servers.local.push(httpError(401));
    const { run, failures } = testModelClient(servers.llm);

    const { error } = await run();
    expect(providerError(error)).toMatchObject({ reason: 'auth', provider: 'local', model: 'llama-test', status: 401 });
    expect(failures.map((f) => `${f.provider}:${f.next}`)).toEqual(['anthropic:failover', 'local:give_up']);
  });

  it('gives up at once on an invalid request: another provider would reject it too', async () => {
    await using servers = await twoProviders();
    servers.anthropic.push(httpError(400));
    const { run, failures, time } = testModelClient(servers.llm);

    const { error } = await run();
    expect(providerError(error)).toMatchObject({ reason: 'invalid_request', status: 400 });
    expect(failures).toEqual([{ provider: 'anthropic', model: 'claude-test', reason: 'invalid_request', status: 400, next: 'give_up' }]);
    expect(servers.local.streamRequests).toHaveLength(0);
    expect(time.sleeps).toEqual([]);
  });

  it('never fails over once text was streamed: it reports the failure instead', async () => {
    await using servers = await twoProviders();
    servers.anthropic.push({ kind: 'stream', text: ['The answer ', 'is'], end: 'disconnect', endAfter: 1 });
    servers.local.push(textReply('a second, different answer'));
    const { run, failures } = testModelClient(servers.llm);

    const { events, error } = await run();
    expect(texts(events)).toBe('The answer ');
    expect(providerError(error)).toMatchObject({ reason: 'network', provider: 'anthropic' });
    expect(chainEvents(events)).toEqual(['attempt anthropic/claude-test #1']);
    expect(failures).toEqual([{ provider: 'anthropic', model: 'claude-test', reason: 'network', status: undefined, next: 'give_up' }]);
    expect(servers.local.streamRequests).toHaveLength(0);
  });

  it('retries an in-stream overloaded error that came before any text', async () => {
    await using servers = await twoProviders();
    servers.anthropic.push({ kind: 'stream', text: [], end: { error: { type: 'overloaded_error', message: 'Overloaded' } } }, textReply('recovered'));
    const { run, failures } = testModelClient(servers.llm);

    expect(texts((await run()).events)).toBe('recovered');
    expect(failures).toEqual([{ provider: 'anthropic', model: 'claude-test', reason: 'server_error', status: undefined, next: 'retry' }]);
  });

  it('skips a provider in cooldown after repeated failures, and tries it again once the cooldown ends', async () => {
    await using servers = await twoProviders();
    servers.anthropic.always(httpError(503));
    servers.local.always(textReply('fallback'));
    const { run, time, logger } = testModelClient(servers.llm, { policy: { cooldownAfterFailures: 3, cooldownMs: 60_000 } });

    expect(texts((await run()).events)).toBe('fallback');
    expect(servers.anthropic.streamRequests).toHaveLength(3);

    const second = await run();
    expect(texts(second.events)).toBe('fallback');
    expect(chainEvents(second.events)).toEqual(['attempt local/llama-test #1']);
    expect(servers.anthropic.streamRequests).toHaveLength(3);
    expect(logger.entries).toContainEqual(expect.objectContaining({ msg: 'skipping a provider in cooldown', fields: expect.objectContaining({ provider: 'anthropic' }) }));

    time.advance(60_001);
    await run();
    expect(servers.anthropic.streamRequests.length).toBeGreaterThan(3);
  });

  it('still tries a cooling provider when no other candidate is left', async () => {
    await using server = await startFakeOpenAI();
    server.push(httpError(500), httpError(500), httpError(500), textReply('back again'));
    const llm = { providers: { local: { type: 'openai', base_url: openaiBaseUrl(server), default_model: 'm' } } };
    const { run } = testModelClient(llm, { policy: { cooldownAfterFailures: 3 } });

    expect(providerError((await run()).error).reason).toBe('server_error');
    expect(texts((await run()).events)).toBe('back again');
  });

  it('logs every attempt and failure with its candidate, never the API key', async () => {
    await using servers = await twoProviders();
    servers.anthropic.push(httpError(429, { headers: { 'retry-after': '1' } }), httpError(401));
    servers.local.push(textReply('ok'));
    const { run, logger } = testModelClient(servers.llm);

    await run(undefined, AbortSignal.timeout(10_000), 3);
    const lines = logger.entries.map((e) => `${e.level} ${e.msg} ${e.fields.provider}#${e.fields.attempt}${e.fields.next ? ` -> ${e.fields.next}` : ''}`);
    expect(lines).toEqual([
      'info model call anthropic#1',
      'warn model call failed anthropic#1 -> retry',
      'info model call anthropic#2',
      'warn model call failed anthropic#2 -> failover',
      'info model call local#1',
    ]);
    expect(logger.entries[1]!.fields).toMatchObject({ model: 'claude-test', iteration: 3, reason: 'rate_limit', status: 429, retryInMs: 1000, requestId: 'req_fake_1' });
    expect(logger.entries[0]!.fields).toMatchObject({ iteration: 3 });
    expect(JSON.stringify(logger.entries)).not.toContain('sk-ant');
  });

  it('uses the provider and model a request names, and a model a fallback names', async () => {
    await using servers = await twoProviders({ llm: { fallbacks: ['local/qwen-small'] } });
    servers.local.push(httpError(500), textReply('from qwen'));
    const { run } = testModelClient(servers.llm, { policy: { maxRetries: 0 } });

    const { events } = await run('local/llama-big');
    expect(chainEvents(events)).toEqual(['attempt local/llama-big #1', 'failover local/llama-big -> local/qwen-small (server_error)', 'attempt local/qwen-small #1']);
    expect(servers.local.streamRequests.map((r) => r.body.model)).toEqual(['llama-big', 'qwen-small']);
  });

  it('sends a bare model name to the default provider, slashes and all', async () => {
    await using servers = await twoProviders();
    servers.anthropic.push(textReply('ok'));
    const { run } = testModelClient(servers.llm);

    await run('vendor/some-model');
    expect(servers.anthropic.streamRequests[0]!.body.model).toBe('vendor/some-model');
  });
});
