import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { EmbeddingError, OpenAiCompatibleEmbedder } from '../../../src/builtin-plugins/memory/embeddings/index.js';
import { fakeEmbedding, startFakeEmbeddingsServer } from '../../fixtures/embeddings/fake-embeddings-server.js';
import { onCleanup } from './memory-test-kit.js';

async function server(options: Parameters<typeof startFakeEmbeddingsServer>[0] = {}) {
  const fake = await startFakeEmbeddingsServer(options);
  onCleanup(() => fake.close());
  return fake;
}

function embedder(baseUrl: string, extra: Partial<ConstructorParameters<typeof OpenAiCompatibleEmbedder>[0]> = {}) {
  return new OpenAiCompatibleEmbedder({ baseUrl, model: 'fake-embed', batchSize: 2, timeoutMs: 5_000, maxRetries: 2, sleep: async () => undefined, ...extra });
}

describe('the fake embeddings server', () => {
  it('speaks the OpenAI wire format, as the official SDK uses it (base64 included)', async () => {
    const fake = await server({ apiKey: 'k' });
    const client = new OpenAI({ apiKey: 'k', baseURL: fake.baseUrl, maxRetries: 0 });
    const response = await client.embeddings.create({ model: 'fake-embed', input: ['green tea', 'black coffee'], dimensions: 12 });
    expect(response.data.map((d) => d.index)).toEqual([0, 1]);
    expect(response.data[0]!.embedding).toHaveLength(12);
    expect(Float32Array.from(response.data[0]!.embedding)).toEqual(fakeEmbedding('green tea', 12));
    await expect(new OpenAI({ apiKey: 'wrong', baseURL: fake.baseUrl, maxRetries: 0 }).embeddings.create({ model: 'x', input: 'a' })).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
  });

  it('puts texts that share words close together and unrelated ones apart', () => {
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);
    const tea = fakeEmbedding('Ana drinks green tea in the morning', 64);
    expect(dot(tea, fakeEmbedding('green tea in the morning', 64))).toBeGreaterThan(0.6);
    expect(Math.abs(dot(tea, fakeEmbedding('the garage closes at nine', 64)))).toBeLessThan(0.4);
  });
});

describe('the OpenAI-compatible embedder', () => {
  it('posts batches of batch_size and returns vectors in input order', async () => {
    const fake = await server();
    const vectors = await embedder(fake.baseUrl).embed(['a b', 'c d', 'e f'], 'document');
    expect(fake.calls).toBe(2);
    expect(fake.requests.map((r) => r.input)).toEqual([['a b', 'c d'], ['e f']]);
    expect(vectors[2]).toEqual(fakeEmbedding('e f', 64));
  });

  it('takes a base URL ending in /embeddings as it is, else appends /embeddings', async () => {
    const fake = await server();
    await embedder(`${fake.baseUrl}/embeddings`).embed(['x'], 'query');
    await embedder(`${fake.baseUrl}/`).embed(['x'], 'query');
    expect(fake.calls).toBe(2);
    expect(embedder('http://user:pw@127.0.0.1:9/v1?x=1').provider).toBe('openai-compatible:http://127.0.0.1:9/v1');
  });

  it('sends credentials written into the base URL as Basic auth, which fetch would refuse in the URL', async () => {
    const fake = await server();
    await embedder(fake.baseUrl.replace('127.0.0.1', 'ana:pw@127.0.0.1')).embed(['x'], 'query');
    expect(fake.requests[0]!.authorization).toBe(`Basic ${Buffer.from('ana:pw').toString('base64')}`);
  });

  it('sends dimensions only when configured', async () => {
    const fake = await server();
    await embedder(fake.baseUrl).embed(['x'], 'query');
    await embedder(fake.baseUrl, { dimensions: 8 }).embed(['x'], 'query');
    expect(fake.requests.map((r) => r.dimensions)).toEqual([undefined, 8]);
  });

  it('classifies failures like provider failures and retries only the transient ones', async () => {
    const fake = await server();
    const cases = [
      { failure: { status: 400, message: 'bad input' }, reason: 'invalid_request', calls: 1 },
      { failure: { status: 401, message: 'nope' }, reason: 'auth', calls: 1 },
      { failure: { status: 404, message: 'The model does not exist', code: 'model_not_found' }, reason: 'model_unavailable', calls: 1 },
      { failure: { status: 429, message: 'You exceeded your current quota', code: 'insufficient_quota' }, reason: 'billing', calls: 1 },
      { failure: { status: 429, message: 'slow down' }, reason: 'rate_limit', calls: 3 },
      { failure: { status: 500, message: 'boom' }, reason: 'server_error', calls: 3 },
    ];
    for (const { failure, reason, calls } of cases) {
      const before = fake.calls;
      fake.failNext(3, failure);
      const error = (await embedder(fake.baseUrl).embed(['x'], 'query').catch((e: unknown) => e)) as EmbeddingError;
      expect(error).toBeInstanceOf(EmbeddingError);
      expect(error.reason).toBe(reason);
      expect(fake.calls - before).toBe(calls);
      fake.failNext(0, failure);
      // Drain what is left of the planned failures.
      while (fake.calls - before < 3) await embedder(fake.baseUrl).embed(['x'], 'query').catch(() => undefined);
    }
  });

  it('calls an unreachable endpoint a network failure, retried, and keeps credentials out of the message', async () => {
    const fake = await server();
    const url = fake.baseUrl.replace('127.0.0.1', 'user:secretpw@127.0.0.1');
    await fake.close();
    const error = (await embedder(url, { apiKey: 'sk-abcdefghijklmnopqrstuv' }).embed(['x'], 'query').catch((e: unknown) => e)) as EmbeddingError;
    expect(error.reason).toBe('network');
    expect(error.message).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings: ECONNREFUSED$/);
    expect(error.message).not.toContain('secretpw');
  });

  it('calls a slow endpoint a timeout', async () => {
    const { createServer } = await import('node:http');
    const slow = createServer(() => undefined);
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    onCleanup(() => new Promise<void>((resolve) => slow.close(() => resolve())).then(() => slow.closeAllConnections()));
    const port = (slow.address() as { port: number }).port;
    const error = (await embedder(`http://127.0.0.1:${port}/v1`, { timeoutMs: 50, maxRetries: 0 }).embed(['x'], 'query').catch((e: unknown) => e)) as EmbeddingError;
    expect(error.reason).toBe('timeout');
    expect(error.message).toContain('within 50 ms (memory.embeddings.timeout)');
    slow.closeAllConnections();
  });

  it('refuses an answer with the wrong number of embeddings', async () => {
    const { createServer } = await import('node:http');
    const wrong = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ index: 0, embedding: [1, 0] }] }));
    });
    await new Promise<void>((resolve) => wrong.listen(0, '127.0.0.1', resolve));
    onCleanup(() => new Promise<void>((resolve) => wrong.close(() => resolve())));
    const port = (wrong.address() as { port: number }).port;
    const error = (await embedder(`http://127.0.0.1:${port}/v1`, { maxRetries: 0 }).embed(['a', 'b'], 'document').catch((e: unknown) => e)) as EmbeddingError;
    expect(error.message).toContain('sent 1 embeddings for 2 texts');
  });
});
