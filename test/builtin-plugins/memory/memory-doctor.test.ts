import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DoctorChecks, SqlDatabaseToken } from '@nexus/plugin-sdk';
import type { TestKernel } from '../../../src/kernel/testing/index.js';
import { startFakeEmbeddingsServer } from '../../fixtures/embeddings/fake-embeddings-server.js';
import { tempDir } from '../../helpers/fixtures.js';
import { runCommandLine } from '../../helpers/command-line.js';
import { corpusFiles, onCleanup, workspace } from './memory-test-kit.js';
import { memoryKernel } from './memory-plugin-kit.js';

async function doctor(kernel: TestKernel) {
  const check = await kernel.contributions.get(DoctorChecks, 'memory-index');
  return check.run({ signal: AbortSignal.timeout(20_000), probe: false });
}

describe('the memory doctor check', () => {
  it('reports a sqlite-vec table out of step with the chunks, and memory stats says so too', async () => {
    const server = await startFakeEmbeddingsServer();
    onCleanup(() => server.close());
    await using kernel = memoryKernel({ workspace: workspace(corpusFiles()), memory: { embeddings: { provider: 'openai-compatible', base_url: server.baseUrl, model: 'fake-embed' } } });
    expect((await runCommandLine(kernel, 'memory', ['index'])).code).toBe(0);
    expect(await doctor(kernel)).toEqual([expect.objectContaining({ level: 'info', message: expect.stringMatching(/5 files, \d+ chunks, \d+ vectors \(exact\); search modes: lexical, vector, hybrid/) })]);

    // The peer's bug: the vector table keeps fewer rows than there are chunks.
    const sql = await kernel.services.get(SqlDatabaseToken);
    await sql.run('DELETE FROM memory_vec WHERE rowid IN (SELECT rowid FROM memory_vec LIMIT 3)');
    const findings = await doctor(kernel);
    expect(findings[0]).toMatchObject({ level: 'error', hint: expect.stringMatching(/nexus memory index --force/) });
    const stats = await runCommandLine(kernel, 'memory', ['stats']);
    expect(stats.code).toBe(1);
    expect(stats.stdout).toMatch(/MISMATCH \(vec-rows\)/);
  });

  it('reports vector search paused after the embedding model changed, until index --force', async () => {
    const server = await startFakeEmbeddingsServer();
    onCleanup(() => server.close());
    const dir = workspace(corpusFiles());
    const database = { path: join(tempDir('nexus-memory-db-'), 'nexus.db') };
    const embeddings = (model: string) => ({ embeddings: { provider: 'openai-compatible', base_url: server.baseUrl, model } });
    {
      await using first = memoryKernel({ workspace: dir, database, memory: embeddings('model-a') });
      expect((await runCommandLine(first, 'memory', ['index'])).code).toBe(0);
    }
    await using kernel = memoryKernel({ workspace: dir, database, memory: embeddings('model-b') });
    const findings = await doctor(kernel);
    expect(findings).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringMatching(/vector search is paused: .*model-a/), hint: expect.stringMatching(/index --force/) })]);
    const search = JSON.parse((await runCommandLine(kernel, 'memory', ['search', 'green curry', '--json'])).stdout) as { mode: string; fallback: { reason: string } };
    expect(search.mode).toBe('lexical');
    expect(search.fallback.reason).toMatch(/index --force/);

    expect((await runCommandLine(kernel, 'memory', ['index', '--force'])).code).toBe(0);
    expect((await doctor(kernel))[0]).toMatchObject({ level: 'info' });
    expect(JSON.parse((await runCommandLine(kernel, 'memory', ['search', 'green curry', '--json'])).stdout)).toMatchObject({ mode: 'hybrid' });
  });
});
