import { setTimeout as realSleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ProviderError, type LlmProviderFactory } from '@nexus/plugin-sdk';
import { httpError, textReply } from '../../fixtures/llm-servers/index.js';
import { providerError, texts, testModelClient, twoProviders } from './provider-test-kit.js';

describe('failover chain: timeouts and cancellation', () => {
  it('times out a server too slow to answer, then retries', async () => {
    await using servers = await twoProviders({ primary: { timeout: '200ms' } });
    servers.anthropic.push({ ...textReply('too late'), delayMs: 5_000 }, textReply('in time'));
    const { run, failures } = testModelClient(servers.llm);

    const started = Date.now();
    const { events } = await run();
    expect(texts(events)).toBe('in time');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(failures).toEqual([{ provider: 'anthropic', model: 'claude-test', reason: 'timeout', status: undefined, next: 'retry' }]);
    await servers.anthropic.streamRequests[0]!.closed;
    expect(servers.anthropic.streamRequests[0]!.completed).toBe(false);
  });

  it('times out a stream that stalls midway, closes its connection and reports the partial reply', async () => {
    await using servers = await twoProviders({ primary: { timeout: '200ms' } });
    servers.anthropic.push({ kind: 'stream', text: ['half ', 'of it'], end: 'stall', endAfter: 1 });
    const { run } = testModelClient(servers.llm);

    const { events, error } = await run();
    expect(texts(events)).toBe('half ');
    expect(providerError(error)).toMatchObject({ reason: 'timeout', message: 'no response from the provider within 200 ms' });
    await servers.anthropic.streamRequests[0]!.closed;
    expect(servers.anthropic.streamRequests[0]!.completed).toBe(false);
  });

  it('does not count the time the caller spends on an event against the provider timeout', async () => {
    await using servers = await twoProviders({ primary: { timeout: '150ms' } });
    servers.anthropic.push(textReply('slow ', 'reader'));
    const { client } = testModelClient(servers.llm);

    let text = '';
    for await (const event of client.stream({ messages: [] }, { signal: AbortSignal.timeout(5_000), iteration: 1 })) {
      if (event.type === 'text_delta') {
        text += event.text;
        await realSleep(300);
      }
    }
    expect(text).toBe('slow reader');
  });

  it('stops the HTTP request on cancellation and throws the abort reason, without retry or failover', async () => {
    await using servers = await twoProviders();
    servers.anthropic.push({ kind: 'stream', text: ['first', 'second'], chunkDelayMs: 10_000 });
    const { client, failures } = testModelClient(servers.llm);
    const controller = new AbortController();

    let thrown: unknown;
    try {
      for await (const event of client.stream({ messages: [] }, { signal: controller.signal, iteration: 1 })) {
        if (event.type === 'text_delta') controller.abort(new Error('turn cancelled'));
      }
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toEqual(new Error('turn cancelled'));
    await servers.anthropic.streamRequests[0]!.closed;
    expect(servers.anthropic.streamRequests[0]!.completed).toBe(false);
    expect(failures).toEqual([]);
    expect(servers.local.streamRequests).toHaveLength(0);
  });

  it('stops waiting out a backoff when the call is cancelled', async () => {
    await using servers = await twoProviders();
    servers.anthropic.push(httpError(500));
    const { client } = testModelClient(servers.llm, {
      time: { sleep: (ms, signal) => realSleep(ms, undefined, { signal }) },
      policy: { baseDelayMs: 60_000 },
    });
    const controller = new AbortController();

    const started = Date.now();
    let thrown: unknown;
    try {
      for await (const event of client.stream({ messages: [] }, { signal: controller.signal, iteration: 1 })) {
        if (event.type === 'failover') setTimeout(() => controller.abort(new Error('turn cancelled')), 20);
      }
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toEqual(new Error('turn cancelled'));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(servers.anthropic.streamRequests).toHaveLength(1);
  });

  it('stops the provider request when the caller stops reading', async () => {
    await using servers = await twoProviders();
    servers.anthropic.push({ kind: 'stream', text: ['one', 'two'], chunkDelayMs: 10_000 });
    const { client } = testModelClient(servers.llm);

    for await (const event of client.stream({ messages: [] }, { signal: AbortSignal.timeout(5_000), iteration: 1 })) {
      if (event.type === 'text_delta') break;
    }
    await servers.anthropic.streamRequests[0]!.closed;
    expect(servers.anthropic.streamRequests[0]!.completed).toBe(false);
  });

});

describe('failover chain: providers that misbehave', () => {
  /** A provider type whose streams never yield and ignore their signal. */
  const deaf: LlmProviderFactory = {
    defaultModel: 'deaf-model',
    create: (entry) => ({
      id: entry.id,
      defaultModel: 'deaf-model',
      stream: () => ({ [Symbol.asyncIterator]: () => ({ next: () => new Promise<never>(() => undefined) }) }),
    }),
  };

  it('times out a provider that ignores its signal, rather than hanging the turn', async () => {
    const { run } = testModelClient(
      { providers: { deaf: { timeout: '100ms', max_retries: 0 } } },
      { factory: async () => deaf, knownTypes: ['deaf'] },
    );
    const { error } = await run();
    expect(providerError(error)).toMatchObject({ reason: 'timeout', provider: 'deaf', model: 'deaf-model' });
  });

  it('cancels a call to a provider that ignores its signal', async () => {
    const { run } = testModelClient({ providers: { deaf: {} } }, { factory: async () => deaf, knownTypes: ['deaf'] });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('turn cancelled')), 50);
    expect((await run(undefined, controller.signal)).error).toEqual(new Error('turn cancelled'));
  });

  it('turns an error that is not a ProviderError into an unknown failure and gives up', async () => {
    const broken: LlmProviderFactory = {
      defaultModel: 'm',
      create: (entry) => ({
        id: entry.id,
        defaultModel: 'm',
        stream: async function* () {
          yield* [];
          throw new RangeError('index out of range');
        },
      }),
    };
    const { run, failures } = testModelClient({ providers: { broken: {} } }, { factory: async () => broken, knownTypes: ['broken'] });
    const error = providerError((await run()).error);
    expect(error).toMatchObject({ reason: 'unknown', provider: 'broken', model: 'm', message: 'the provider failed unexpectedly: index out of range' });
    expect(error.cause).toBeInstanceOf(RangeError);
    expect(failures).toEqual([{ provider: 'broken', model: 'm', reason: 'unknown', status: undefined, next: 'give_up' }]);
  });

  it('treats a provider iterator whose next() throws, instead of rejecting, like any other provider failure', async () => {
    const signals: AbortSignal[] = [];
    const throwing: LlmProviderFactory = {
      defaultModel: 'm',
      create: (entry) => ({
        id: entry.id,
        defaultModel: 'm',
        stream: (_request, { signal }) => ({
          [Symbol.asyncIterator]: () => ({
            next: () => {
              signals.push(signal);
              throw new TypeError('not ready');
            },
          }),
        }),
      }),
    };
    const { run, failures } = testModelClient({ providers: { throwing: { timeout: '50ms' } } }, { factory: async () => throwing, knownTypes: ['throwing'] });
    const error = providerError((await run()).error);
    expect(error).toMatchObject({ reason: 'unknown', provider: 'throwing', message: 'the provider failed unexpectedly: not ready' });
    expect(failures).toEqual([{ provider: 'throwing', model: 'm', reason: 'unknown', status: undefined, next: 'give_up' }]);
    // The stream ended with that failure: its progress timer is gone and never fires afterwards.
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
  });

  it('names the configured entry in a ProviderError that a provider raised under another name', async () => {
    const misnamed: LlmProviderFactory = {
      defaultModel: 'm',
      create: () => ({
        id: 'x',
        defaultModel: 'm',
        stream: async function* () {
          yield* [];
          throw new ProviderError({ reason: 'invalid_request', provider: 'openai', message: 'bad' });
        },
      }),
    };
    const { run } = testModelClient({ providers: { mine: { type: 'odd' } } }, { factory: async () => misnamed, knownTypes: ['odd'] });
    expect(providerError((await run()).error)).toMatchObject({ reason: 'invalid_request', provider: 'mine', model: 'm', message: 'bad' });
  });
});
