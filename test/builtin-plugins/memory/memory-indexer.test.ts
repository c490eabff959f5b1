import { appendFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { startFakeEmbeddingsServer } from '../../fixtures/embeddings/fake-embeddings-server.js';
import { corpusFiles, ManualScheduler, onCleanup, openTestEngine, writeText } from './memory-test-kit.js';

describe('indexing the memory files', () => {
  it('indexes every file the first time and nothing the second', async () => {
    const { engine } = await openTestEngine({ files: corpusFiles() });
    const first = await engine.index();
    expect(first.files).toEqual({ total: 5, changed: 5, unchanged: 0, removed: 0 });
    expect(first.chunks).toEqual({ added: 5, kept: 0, removed: 0 });
    const second = await engine.index();
    expect(second.files).toEqual({ total: 5, changed: 0, unchanged: 5, removed: 0 });
    expect(second.chunks).toEqual({ added: 0, kept: 0, removed: 0 });
  });

  it('re-chunks only the file whose content changed, and keeps its unchanged chunks and their vectors', async () => {
    const server = await startFakeEmbeddingsServer();
    onCleanup(() => server.close());
    const long = Array.from({ length: 12 }, (_, i) => `## Topic ${i}\n\n${`Paragraph ${i} talks about subject ${i} at some length. `.repeat(4)}`).join('\n\n');
    const { engine, dir } = await openTestEngine({ files: { ...corpusFiles(), 'memory/topics.md': long }, config: { chunking: { tokens: 100, overlap: 20 }, embeddings: { provider: 'openai-compatible', base_url: server.baseUrl, model: 'm' } } });
    const first = await engine.index();
    const chunksBefore = first.chunks.added;
    const textsBefore = server.texts.length;
    writeFileSync(join(dir, 'memory/topics.md'), long.replace('Paragraph 5 talks', 'Paragraph 5 now talks'));
    const second = await engine.index();
    expect(second.files.changed).toBe(1);
    expect(second.files.unchanged).toBe(5);
    expect(second.chunks.kept).toBeGreaterThan(chunksBefore - 7);
    expect(second.chunks.added).toBe(second.chunks.removed);
    expect(second.chunks.added).toBeGreaterThan(0);
    // Only the new chunks went to the endpoint.
    expect(server.texts.length - textsBefore).toBe(second.chunks.added);
    expect(second.vectors).toEqual({ embedded: second.chunks.added, missing: 0 });
    expect((await engine.search({ query: 'now talks', mode: 'lexical' })).results[0]!.path).toBe('memory/topics.md');
  });

  it('does not re-chunk a file that was only touched', async () => {
    const { engine, dir } = await openTestEngine({ files: corpusFiles() });
    await engine.index();
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'MEMORY.md'), later, later);
    const report = await engine.index();
    expect(report.files).toEqual({ total: 5, changed: 0, unchanged: 5, removed: 0 });
  });

  it('forgets a deleted file, its chunks and its vectors', async () => {
    const { engine, dir } = await openTestEngine({ files: corpusFiles() });
    await engine.index();
    rmSync(join(dir, 'memory/recipes.md'));
    const report = await engine.index();
    expect(report.files.removed).toBe(1);
    expect(report.chunks.removed).toBe(1);
    expect((await engine.search({ query: 'cinnamon', mode: 'lexical' })).results).toEqual([]);
    expect((await engine.stats()).files).toBe(4);
  });

  it('re-chunks everything when forced or when the chunk settings change', async () => {
    const { engine, dir, sql } = await openTestEngine({ files: corpusFiles() });
    await engine.index();
    expect((await engine.index({ force: true })).files.changed).toBe(5);
    const resized = await openTestEngine({ sql, workspaceDir: dir, config: { chunking: { tokens: 60, overlap: 10 } } });
    expect((await resized.engine.index()).files.changed).toBe(5);
  });

  it('brings a write into the index before the next search', async () => {
    const { engine } = await openTestEngine({ files: corpusFiles() });
    await engine.index();
    await engine.write({ text: 'The bike lock code is in the blue notebook.' });
    const found = await engine.search({ query: 'bike lock notebook', mode: 'lexical' });
    expect(found.results[0]!.path).toBe('memory/2026-03-15.md');
  });

  it('runs one index at a time and folds calls made meanwhile into one more run', async () => {
    const { engine } = await openTestEngine({ files: corpusFiles() });
    const runs = await Promise.all([engine.index(), engine.index(), engine.index()]);
    expect(runs[0]!.files.changed).toBe(5);
    expect(runs[1]).toBe(runs[2]);
    expect(runs[1]!.files.changed).toBe(0);
  });

  it('reports progress for a progress bar', async () => {
    const { engine } = await openTestEngine({ files: corpusFiles() });
    const seen: string[] = [];
    await engine.index({ onProgress: (p) => seen.push(`${p.phase} ${p.done}/${p.total}`) });
    expect(seen[0]).toBe('files 0/5');
    expect(seen.at(-1)).toBe('files 5/5');
  });
});

describe('the file watcher', () => {
  it('re-indexes an edited file after the debounce, once for a burst of edits', async () => {
    const { engine, dir } = await openTestEngine({ files: corpusFiles() });
    await engine.index();
    const scheduler = new ManualScheduler();
    const watcher = engine.watch(scheduler);
    onCleanup(() => watcher.close());
    appendFileSync(join(dir, 'memory/recipes.md'), '\n## Shakshuka\n\nEggs poached in a spiced tomato and pepper sauce.\n');
    appendFileSync(join(dir, 'memory/recipes.md'), '\nServe with bread.\n');
    await vi.waitFor(() => expect(scheduler.pending.size).toBe(1), { timeout: 10_000 });
    expect([...scheduler.pending.values()][0]!.ms).toBe(1500);
    expect((await engine.search({ query: 'shakshuka', mode: 'lexical' })).results).toEqual([]);
    expect(scheduler.fire()).toBe(1);
    await vi.waitFor(async () => expect((await engine.search({ query: 'shakshuka', mode: 'lexical' })).results[0]?.path).toBe('memory/recipes.md'), { timeout: 10_000 });
  });

  it('notices a new daily file, and MEMORY.md created after it started', async () => {
    const { engine, dir } = await openTestEngine({ files: {} });
    await engine.index();
    const scheduler = new ManualScheduler();
    const watcher = engine.watch(scheduler);
    onCleanup(() => watcher.close());
    writeText(join(dir, 'MEMORY.md'), 'Ana likes sourdough.\n');
    await vi.waitFor(() => expect(scheduler.pending.size).toBe(1), { timeout: 10_000 });
    scheduler.fire();
    await vi.waitFor(async () => expect((await engine.search({ query: 'sourdough', mode: 'lexical' })).results).toHaveLength(1), { timeout: 10_000 });
    writeText(join(dir, 'memory/2026-03-15.md'), '- [10:00:00] note: rye flour is out\n');
    await vi.waitFor(() => expect(scheduler.pending.size).toBe(1), { timeout: 10_000 });
    scheduler.fire();
    await vi.waitFor(async () => expect((await engine.search({ query: 'rye flour', mode: 'lexical' })).results).toHaveLength(1), { timeout: 10_000 });
  });

  it('ignores files that are not memory', async () => {
    const { engine, dir } = await openTestEngine({ files: corpusFiles() });
    const scheduler = new ManualScheduler();
    const watcher = engine.watch(scheduler);
    onCleanup(() => watcher.close());
    writeText(join(dir, 'AGENTS.md'), 'instructions');
    writeText(join(dir, 'memory/.2026-03-15.md.lock'), '{}');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(scheduler.pending.size).toBe(0);
  });
});
