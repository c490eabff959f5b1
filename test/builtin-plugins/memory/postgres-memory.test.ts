import { describe, expect, it } from 'vitest';
import { startFakeEmbeddingsServer } from '../../fixtures/embeddings/fake-embeddings-server.js';
import { freshDatabase, postgresSkipReason } from '../storage/postgres-test-kit.js';
import { corpusFiles, onCleanup, openTestEngine, workspace } from './memory-test-kit.js';
import { applyMigrations, postgresTestClient, revertMigrations, type TestSqlClient } from './sql-test-clients.js';

const skip = postgresSkipReason();

async function postgresDb(label: string): Promise<TestSqlClient> {
  const sql = postgresTestClient(await freshDatabase(label));
  onCleanup(() => sql.close());
  await applyMigrations(sql);
  return sql;
}

describe.skipIf(skip !== undefined)('memory on PostgreSQL (tsvector ranking, exact cosine in process)', () => {
  it('ranks by ts_rank_cd: the chunk with more query words first', async () => {
    const { engine } = await openTestEngine({ sql: await postgresDb('memory_lexical'), files: corpusFiles(), config: { search: { mode: 'lexical' } } });
    const found = await engine.search({ query: 'night train Lisbon' });
    expect(found.mode).toBe('lexical');
    expect(found.results.map((r) => r.path)).toEqual(['memory/2026-03-10.md', 'MEMORY.md']);
    expect(found.results[0]!.score).toBeGreaterThan(found.results[1]!.score);
    expect((await engine.search({ query: 'green cinnamon' })).results[0]!.path).toBe('memory/recipes.md');
  });

  it('runs hybrid search with vectors in bytea, says it compares them in process, and caches query embeddings', async () => {
    const server = await startFakeEmbeddingsServer();
    onCleanup(() => server.close());
    const { engine } = await openTestEngine({ sql: await postgresDb('memory_hybrid'), files: corpusFiles(), config: { embeddings: { provider: 'openai-compatible', base_url: server.baseUrl, model: 'fake-embed' } } });
    expect((await engine.index()).vectors).toEqual({ embedded: 5, missing: 0 });
    const found = await engine.search({ query: 'car tires' });
    expect(found).toMatchObject({ mode: 'hybrid', vector_backend: 'exact' });
    expect(found.results[0]!.path).toBe('memory/2026-03-14.md');
    const calls = server.calls;
    await engine.search({ query: 'car tires' });
    expect(server.calls).toBe(calls);
    expect(await engine.stats()).toMatchObject({ vector_backend: 'exact', vector_backend_reason: 'PostgreSQL: vectors are compared exactly in process (pgvector is not used)', files: 5, chunks: 5, vectors: 5, mismatches: [] });
    server.down();
    const fallback = await engine.search({ query: 'new question' });
    expect(fallback.mode).toBe('lexical');
    expect(fallback.fallback!.reason).toContain('cannot reach');
  });

  it('re-indexes incrementally and forgets deleted files', async () => {
    const sql = await postgresDb('memory_incremental');
    const dir = workspace(corpusFiles());
    const { engine } = await openTestEngine({ sql, workspaceDir: dir });
    expect((await engine.index()).chunks.added).toBe(5);
    await engine.write({ text: 'The spare bike key is in the kitchen drawer.' });
    const report = await engine.index();
    expect(report.files).toEqual({ total: 6, changed: 1, unchanged: 5, removed: 0 });
    expect((await engine.search({ query: 'bike key drawer', mode: 'lexical' })).results[0]!.path).toBe('memory/2026-03-15.md');
  });

  it('keeps the embedding cache within max_entries', async () => {
    const server = await startFakeEmbeddingsServer();
    onCleanup(() => server.close());
    const { engine } = await openTestEngine({ sql: await postgresDb('memory_cache'), files: corpusFiles(), config: { embeddings: { provider: 'openai-compatible', base_url: server.baseUrl, model: 'm', cache: { max_entries: 3 } } } });
    await engine.index();
    expect((await engine.stats()).cache.entries).toBeLessThanOrEqual(3);
  });

  it('migrates down and up again', async () => {
    const sql = await postgresDb('memory_down');
    await revertMigrations(sql);
    expect(await sql.all("SELECT tablename FROM pg_tables WHERE tablename LIKE 'memory_%'")).toEqual([]);
    await applyMigrations(sql);
  });
});
