import { describe, expect, it } from 'vitest';
import { startFakeEmbeddingsServer, type FakeEmbeddingsServer } from '../../fixtures/embeddings/fake-embeddings-server.js';
import { corpusFiles, onCleanup, openTestEngine, sqliteMemoryDb, workspace, type TestEngineOptions } from './memory-test-kit.js';

async function fakeServer(options: Parameters<typeof startFakeEmbeddingsServer>[0] = {}): Promise<FakeEmbeddingsServer> {
  const server = await startFakeEmbeddingsServer(options);
  onCleanup(() => server.close());
  return server;
}

function embeddingsConfig(server: FakeEmbeddingsServer, extra: Record<string, unknown> = {}) {
  return { provider: 'openai-compatible', base_url: server.baseUrl, model: 'fake-embed', api_key: 'test-key', ...extra };
}

async function indexedEngine(server: FakeEmbeddingsServer, options: TestEngineOptions & { config?: Record<string, unknown>; sqliteVec?: boolean } = {}) {
  const { config = {}, sqliteVec = true, ...rest } = options;
  // With sqlite-vec on, a limit of 0 makes it answer (these corpora would fit in process).
  const search = { sqlite_vec: sqliteVec, ...(sqliteVec ? { in_process_max_mb: 0 } : {}), ...(config.search as object) };
  const opened = await openTestEngine({ files: corpusFiles(), ...rest, config: { ...config, search, embeddings: { ...embeddingsConfig(server), ...(config.embeddings as object) } } });
  const report = await opened.engine.index();
  return { ...opened, report };
}

for (const sqliteVec of [true, false]) {
  describe(`hybrid search on SQLite ${sqliteVec ? 'with sqlite-vec' : 'with exact cosine in process'}`, () => {
    it('finds by meaning what words alone miss, and fuses both sides', async () => {
      const server = await fakeServer();
      const { engine, report } = await indexedEngine(server, { sqliteVec });
      expect(report.vectors).toEqual({ embedded: 5, missing: 0 });
      const lexical = await engine.search({ query: 'car tires', mode: 'lexical' });
      expect(lexical.results[0]!.path).toBe('memory/garage.md');
      // "automobile" is a car to the embedder: the tire note wins once vectors count.
      const hybrid = await engine.search({ query: 'car tires' });
      expect(hybrid.mode).toBe('hybrid');
      expect(hybrid.fallback).toBeUndefined();
      expect(hybrid.vector_backend).toBe(sqliteVec ? 'sqlite-vec' : 'exact');
      expect(hybrid.results[0]!.path).toBe('memory/2026-03-14.md');
      expect(hybrid.results.map((r) => r.path)).toContain('memory/garage.md');
      // No file holds the word "vehicle"; the two about cars are what it means.
      expect((await engine.search({ query: 'vehicle', mode: 'lexical' })).results).toEqual([]);
      const vector = await engine.search({ query: 'vehicle', mode: 'vector' });
      expect(vector.mode).toBe('vector');
      expect(vector.results.slice(0, 2).map((r) => r.path).sort()).toEqual(['memory/2026-03-14.md', 'memory/garage.md']);
      expect((await engine.stats()).searches).toEqual({ lexical: 2, vector: 1, hybrid: 1, fallbacks: 0 });
    });

    it('answers a repeated query from the database cache: the second search makes no HTTP call', async () => {
      const server = await fakeServer();
      const { engine } = await indexedEngine(server, { sqliteVec });
      const before = server.calls;
      await engine.search({ query: 'where is Ana going in April' });
      expect(server.calls).toBe(before + 1);
      await engine.search({ query: 'where is Ana going in April' });
      expect(server.calls).toBe(before + 1);
      const stats = await engine.stats();
      expect(stats.cache.hits).toBeGreaterThanOrEqual(1);
      expect(stats.cache.entries).toBe(6);
    });
  });
}

describe('the embeddings cache', () => {
  it('re-embeds a text once its cached vector is older than the TTL', async () => {
    const server = await fakeServer();
    const { engine, clock } = await indexedEngine(server, { config: { embeddings: { cache: { ttl: '1h' } } } });
    await engine.search({ query: 'green tea' });
    const after = server.calls;
    clock.advance(30 * 60_000);
    await engine.search({ query: 'green tea' });
    expect(server.calls).toBe(after);
    clock.advance(31 * 60_000);
    await engine.search({ query: 'green tea' });
    expect(server.calls).toBe(after + 1);
  });

  it('embeds unchanged chunks from the cache on a forced re-index: no HTTP call', async () => {
    const server = await fakeServer();
    const { engine } = await indexedEngine(server);
    const calls = server.calls;
    const report = await engine.index({ force: true });
    expect(report.vectors.embedded).toBe(5);
    expect(server.calls).toBe(calls);
  });

  it('keeps at most max_entries, dropping the least recently used', async () => {
    const server = await fakeServer();
    const { engine } = await indexedEngine(server, { config: { embeddings: { cache: { max_entries: 4 } } } });
    expect((await engine.stats()).cache.entries).toBeLessThanOrEqual(4);
  });

  it('keys entries by model and dimensions: another model does not reuse them', async () => {
    const server = await fakeServer();
    const sql = await sqliteMemoryDb();
    const dir = workspace(corpusFiles());
    const first = await openTestEngine({ sql, workspaceDir: dir, config: { embeddings: embeddingsConfig(server) } });
    await first.engine.index();
    const calls = server.calls;
    const second = await openTestEngine({ sql, workspaceDir: dir, config: { embeddings: embeddingsConfig(server, { dimensions: 32 }) } });
    await second.engine.index({ force: true });
    expect(server.calls).toBeGreaterThan(calls);
    expect(server.requests.at(-1)!.dimensions).toBe(32);
  });
});

describe('when the embedding model changes', () => {
  it('pauses vector search with a clear message until a forced re-index', async () => {
    const server = await fakeServer();
    const sql = await sqliteMemoryDb();
    const dir = workspace(corpusFiles());
    const old = await openTestEngine({ sql, workspaceDir: dir, config: { embeddings: embeddingsConfig(server) } });
    await old.engine.index();

    const { engine } = await openTestEngine({ sql, workspaceDir: dir, config: { embeddings: embeddingsConfig(server, { model: 'fake-embed-2' }) } });
    const paused = await engine.search({ query: 'car tires' });
    expect(paused.mode).toBe('lexical');
    expect(paused.fallback!.from).toBe('hybrid');
    expect(paused.fallback!.reason).toMatch(/^vector search is paused: the stored vectors came from fake-embed \(its own size\) at http:\/\/127\.0\.0\.1:\d+\/v1, but memory\.embeddings now names fake-embed-2 .*; run `nexus memory index --force` to embed everything again$/);
    const stats = await engine.stats();
    expect(stats.embedder.state).toBe('paused');
    expect(stats.modes).toEqual(['lexical']);
    const plain = await engine.index();
    expect(plain.embeddingProblem).toContain('vector search is paused');
    expect(plain.vectors.embedded).toBe(0);

    const forced = await engine.index({ force: true });
    expect(forced.vectors).toEqual({ embedded: 5, missing: 0 });
    expect(server.requests.at(-1)!.model).toBe('fake-embed-2');
    const resumed = await engine.search({ query: 'car tires' });
    expect(resumed.mode).toBe('hybrid');
    expect((await engine.stats()).embedder.state).toBe('ready');
  });
});

describe('when the embeddings endpoint fails', () => {
  it('falls back to lexical search and says why when the endpoint is down', async () => {
    const server = await fakeServer();
    const { engine, clock } = await indexedEngine(server);
    server.down();
    const found = await engine.search({ query: 'night train' });
    expect(found.mode).toBe('lexical');
    expect(found.fallback!.reason).toMatch(/^the embeddings endpoint failed, so this answer is lexical: cannot reach http:\/\/127\.0\.0\.1:\d+\/v1\/embeddings/);
    expect(found.results[0]!.path).toBe('memory/2026-03-10.md');
    expect((await engine.stats()).embedder).toMatchObject({ state: 'failing' });

    // For a while it is not asked again, so a dead endpoint does not slow every search.
    server.down(false);
    const calls = server.calls;
    const cooling = await engine.search({ query: 'something new' });
    expect(cooling.fallback!.reason).toContain('the embeddings endpoint failed 0 s ago');
    expect(server.calls).toBe(calls);
    clock.advance(31_000);
    expect((await engine.search({ query: 'something new' })).mode).toBe('hybrid');
    expect((await engine.stats()).embedder.state).toBe('ready');
  });

  it('does not retry a rejected key, and points at the setting', async () => {
    const server = await fakeServer({ apiKey: 'right-key' });
    const { engine } = await openTestEngine({ files: corpusFiles(), config: { embeddings: embeddingsConfig(server, { api_key: 'wrong-key' }) } });
    const report = await engine.index();
    expect(server.calls).toBe(1);
    expect(report.embeddingProblem).toMatch(/answered 401: Incorrect API key provided\. \(check memory\.embeddings\.api_key\)$/);
    expect(report.embeddingProblem).not.toContain('wrong-key');
    expect(report.vectors).toEqual({ embedded: 0, missing: 5 });
    expect((await engine.stats()).mismatches).toEqual([expect.objectContaining({ kind: 'vectors-missing' })]);
  });

  it("retries a rate limit after the server's retry-after, then succeeds", async () => {
    const server = await fakeServer();
    const waits: number[] = [];
    server.failNext(1, { status: 429, message: 'Rate limit reached', code: 'rate_limit_exceeded', retryAfter: 2 });
    const { engine } = await openTestEngine({ files: corpusFiles(), config: { embeddings: embeddingsConfig(server) }, retrySleep: async (ms) => void waits.push(ms) });
    const report = await engine.index();
    expect(report.vectors.embedded).toBe(5);
    expect(waits).toEqual([2000]);
    expect(server.calls).toBe(2);
  });

  it('gives up on server errors after max_retries and keeps the lexical index whole', async () => {
    const server = await fakeServer();
    server.failNext(3, { status: 503, message: 'overloaded' });
    const { engine } = await openTestEngine({ files: corpusFiles(), config: { embeddings: embeddingsConfig(server, { max_retries: 2 }) } });
    const report = await engine.index();
    expect(server.calls).toBe(3);
    expect(report.embeddingProblem).toContain('answered 503: overloaded');
    expect(report.chunks.added).toBe(5);
    expect((await engine.search({ query: 'cinnamon', mode: 'lexical' })).results[0]!.path).toBe('memory/recipes.md');
  });

  it('refuses vectors of another size than memory.embeddings.dimensions instead of storing them', async () => {
    const server = await fakeServer({ dimensions: 16, ignoreDimensions: true });
    const { engine } = await openTestEngine({ files: corpusFiles(), config: { embeddings: embeddingsConfig(server, { dimensions: 8 }) } });
    const report = await engine.index();
    expect(server.calls).toBe(1);
    expect(report.embeddingProblem).toMatch(/returned 16-dimensional vectors, but memory\.embeddings\.dimensions is 8; remove dimensions or set it to 16$/);
    expect(report.vectors).toEqual({ embedded: 0, missing: 5 });
  });
});

describe('the sqlite-vec table', () => {
  it('reports a table out of step with the vectors, answers by exact cosine meanwhile, and is rebuilt by the next index', async () => {
    const server = await fakeServer();
    const sql = await sqliteMemoryDb();
    const { engine } = await indexedEngine(server, { sql });
    await sql.run('DELETE FROM memory_vec WHERE rowid > ?', [1n]);
    const stats = await engine.stats();
    expect(stats.vectors).toBe(5);
    expect(stats.vector_rows).toBe(1);
    expect(stats.mismatches).toEqual([{ kind: 'vec-rows', message: 'the sqlite-vec table holds 1 rows for 5 stored vectors; vector search compares exactly in process until `nexus memory index` rebuilds it' }]);
    const meanwhile = await engine.search({ query: 'car tires' });
    expect(meanwhile.mode).toBe('hybrid');
    expect(meanwhile.vector_backend).toBe('exact');
    expect(meanwhile.notes).toEqual([stats.mismatches[0]!.message]);
    expect(meanwhile.results[0]!.path).toBe('memory/2026-03-14.md');
    const report = await engine.index();
    expect(report.repaired).toBe('the sqlite-vec table holds 1 rows for 5 stored vectors; rebuilt from the stored vectors');
    expect((await engine.stats()).mismatches).toEqual([]);
    expect((await engine.search({ query: 'car tires' })).vector_backend).toBe('sqlite-vec');
  });

  it('leaves vectors that fit memory.search.in_process_max_mb to the in-process matrix, and larger ones to sqlite-vec', async () => {
    const server = await fakeServer();
    const { engine } = await indexedEngine(server, { config: { search: { in_process_max_mb: 1 } } });
    const inProcess = await engine.search({ query: 'car tires' });
    expect(inProcess.vector_backend).toBe('exact');
    expect(inProcess.notes).toBeUndefined();
    expect(await engine.stats()).toMatchObject({ vector_backend: 'exact', vector_backend_reason: 'the vectors (0.0 MB) fit memory.search.in_process_max_mb (1.0 MB): compared in process, faster than the sqlite-vec scan' });

    const { engine: limited } = await indexedEngine(server, { config: { search: { in_process_max_mb: 0 } } });
    const viaVec = await limited.search({ query: 'car tires' });
    expect(viaVec.vector_backend).toBe('sqlite-vec');
    // Both scan every vector: the same chunks in the same order.
    expect(viaVec.results.map((r) => [r.path, r.start_line])).toEqual(inProcess.results.map((r) => [r.path, r.start_line]));
    expect((await limited.stats()).vector_backend_reason).toMatch(/^the vectors \(0\.0 MB\) exceed memory\.search\.in_process_max_mb \(0\.0 MB\)$/);
  });

  it('says why vectors are compared in process when sqlite-vec is off', async () => {
    const server = await fakeServer();
    const { engine } = await indexedEngine(server, { sqliteVec: false });
    expect(await engine.stats()).toMatchObject({ vector_backend: 'exact', vector_backend_reason: 'memory.search.sqlite_vec is off', modes: ['lexical', 'vector', 'hybrid'] });
  });
});

describe('ranking options', () => {
  it('with MMR, prefers a second result that says something different over a near copy of the first', async () => {
    const server = await fakeServer();
    const files = {
      'memory/a.md': 'Ana booked the night train to Lisbon for April.',
      'memory/b.md': 'Ana booked the night train to Lisbon for April, seat 42.',
      'memory/c.md': 'The Lisbon hotel in Alfama is near the tram.',
    };
    const plain = await openTestEngine({ files, config: { embeddings: embeddingsConfig(server), search: { max_results: 2 } } });
    await plain.engine.index();
    expect((await plain.engine.search({ query: 'Lisbon night train' })).results.map((r) => r.path).sort()).toEqual(['memory/a.md', 'memory/b.md']);
    const diverse = await openTestEngine({ files, config: { embeddings: embeddingsConfig(server), search: { max_results: 2, mmr: { enabled: true, lambda: 0.5 } } } });
    await diverse.engine.index();
    expect((await diverse.engine.search({ query: 'Lisbon night train' })).results.map((r) => r.path)).toContain('memory/c.md');
  });

  it('with temporal decay, lowers older daily notes but never MEMORY.md or undated notes', async () => {
    const text = 'The spare key is under the blue flower pot.';
    // Filler notes keep the words rare enough for bm25 to weigh them (a word in most documents weighs nothing).
    const filler = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`memory/other-${i}.md`, `Unrelated note number ${i} about groceries.`]));
    const files = { ...filler, 'MEMORY.md': text, 'memory/2026-03-15.md': text, 'memory/2026-02-13.md': text, 'memory/keys.md': text };
    const { engine } = await openTestEngine({ files, config: { search: { mode: 'lexical', temporal_decay: { enabled: true, half_life: '30d' } } } });
    const found = await engine.search({ query: 'spare key flower pot' }, { private: true });
    const score = (path: string) => found.results.find((r) => r.path === path)!.score;
    expect(score('memory/2026-03-15.md')).toBeCloseTo(score('MEMORY.md'), 4);
    expect(score('memory/keys.md')).toBeCloseTo(score('MEMORY.md'), 4);
    expect(score('memory/2026-02-13.md') / score('MEMORY.md')).toBeCloseTo(0.5, 2);
    expect(found.results.at(-1)!.path).toBe('memory/2026-02-13.md');
  });
});

describe('what is sent to the endpoint', () => {
  it('never sends a secret from a memory file, and sends the key only as a bearer header', async () => {
    const server = await fakeServer();
    const { engine } = await openTestEngine({ files: { 'MEMORY.md': 'The router password=Tr0ub4dor&3 and token ghp_abcdefghijklmnopqrstuvwxyz0123456789' }, config: { embeddings: embeddingsConfig(server, { headers: { 'x-team': 'home' } }) } });
    await engine.index();
    const sent = server.texts.join('\n');
    expect(sent).not.toContain('Tr0ub4dor');
    expect(sent).not.toContain('ghp_');
    expect(server.requests[0]!.authorization).toBe('Bearer test-key');
    expect(server.requests[0]!.headers['x-team']).toBe('home');
  });
});
