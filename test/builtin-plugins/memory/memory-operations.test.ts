import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryPathError } from '../../../src/builtin-plugins/memory/paths/index.js';
import { GET_MAX_LINES } from '../../../src/builtin-plugins/memory/operations/index.js';
import { corpusFiles, onCleanup, openTestEngine } from './memory-test-kit.js';
import { sqliteTestClient } from './sql-test-clients.js';

const numbered = Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

describe('memory get', () => {
  it('reads a cited range', async () => {
    const { engine } = await openTestEngine({ files: { 'memory/long.md': numbered } });
    expect(await engine.get({ path: 'memory/long.md', from: 10, lines: 3 })).toEqual({ path: 'memory/long.md', from: 10, to: 12, total_lines: 1000, text: 'line 10\nline 11\nline 12' });
  });

  it('stops at its limit and says where to continue', async () => {
    const { engine } = await openTestEngine({ files: { 'memory/long.md': numbered } });
    const page = await engine.get({ path: 'memory/long.md' });
    expect(page.to).toBe(GET_MAX_LINES);
    expect(page.next_from).toBe(GET_MAX_LINES + 1);
    const tail = await engine.get({ path: 'memory/long.md', from: 990 });
    expect(tail).toMatchObject({ from: 990, to: 1000 });
    expect(tail.next_from).toBeUndefined();
  });

  it('refuses a range that is not whole numbers from 1', async () => {
    const { engine } = await openTestEngine({ files: { 'memory/long.md': numbered } });
    await expect(engine.get({ path: 'memory/long.md', from: 0 })).rejects.toThrow('from must be a whole number of at least 1, not 0');
    await expect(engine.get({ path: 'memory/long.md', lines: 2.5 })).rejects.toThrow('lines must be a whole number of at least 1, not 2.5');
  });

  it('refuses traversal through the tool as well', async () => {
    const { engine } = await openTestEngine({ files: corpusFiles() });
    const error = await engine.get({ path: 'memory/../../../etc/passwd' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MemoryPathError);
    expect((error as MemoryPathError).code).toBe('traversal');
  });
});

describe('memory write', () => {
  it("appends a note to today's file, tagged with the session that wrote it", async () => {
    const { engine, dir } = await openTestEngine();
    const receipt = await engine.write({ text: 'Ana moved the dentist to Thursday.' }, { private: true, channel: 'telegram', session: 'main:telegram:42' });
    expect(receipt).toMatchObject({ path: 'memory/2026-03-15.md', target: 'daily', redacted: false });
    const file = readFileSync(join(dir, receipt.path));
    expect(file.subarray(receipt.offset, receipt.offset + receipt.bytes).toString()).toBe('- [12:00:00] note (telegram/main:telegram:42): Ana moved the dentist to Thursday.\n');
    const recall = await engine.recall({ channel: 'telegram', session: 'main:telegram:42' });
    expect(recall.days[0]!.lines).toEqual(['- [12:00:00] note (telegram/main:telegram:42): Ana moved the dentist to Thursday.']);
  });

  it('appends a lasting fact to MEMORY.md, creating it with a heading', async () => {
    const { engine, dir } = await openTestEngine();
    await engine.write({ text: 'Ana is vegetarian.', target: 'MEMORY.md' });
    const receipt = await engine.write({ text: 'Ben is allergic to cats.', target: 'MEMORY.md' });
    expect(readFileSync(join(dir, 'MEMORY.md'), 'utf8')).toBe('# Long-term memory\n\nAna is vegetarian.\n\nBen is allergic to cats.\n');
    expect(readFileSync(join(dir, 'MEMORY.md')).subarray(receipt.offset, receipt.offset + receipt.bytes).toString()).toBe('Ben is allergic to cats.\n');
  });

  it('redacts secrets and says it did', async () => {
    const { engine, dir } = await openTestEngine();
    const receipt = await engine.write({ text: 'wifi password: correct-horse-battery', target: 'MEMORY.md' });
    expect(receipt.redacted).toBe(true);
    expect(readFileSync(join(dir, 'MEMORY.md'), 'utf8')).toContain('wifi password: [redacted]');
  });

  it('refuses empty, over-long and misdirected writes with what to do instead', async () => {
    const { engine } = await openTestEngine();
    await expect(engine.write({ text: '   ' })).rejects.toThrow('text must be a non-empty string');
    await expect(engine.write({ text: 'x'.repeat(20_001) })).rejects.toThrow('memory_write takes at most 20000');
    await expect(engine.write({ text: 'x', target: '../AGENTS.md' as 'daily' })).rejects.toThrow('target must be "daily" or "MEMORY.md"');
  });

  // Root may write to any folder, so a read-only mode bit proves nothing when the tests run as root.
  it.skipIf(process.getuid?.() === 0)('refuses to write to a read-only workspace', async () => {
    const { engine, dir } = await openTestEngine();
    chmodSync(dir, 0o555);
    onCleanup(() => chmodSync(dir, 0o755));
    await expect(engine.write({ text: 'x' })).rejects.toThrow('is read-only, so memory cannot be written');
    expect(await engine.writable()).toBe(false);
  });
});

describe('logging turns', () => {
  it('logs nothing unless memory.daily.log_turns is on', async () => {
    const { engine } = await openTestEngine();
    expect(await engine.logTurn('user', 'hello', { private: true, channel: 'telegram', session: 's' })).toBeUndefined();
  });

  it('logs each message tagged with its session when on, and recall brings them back', async () => {
    const { engine } = await openTestEngine({ config: { daily: { log_turns: true } } });
    await engine.logTurn('user', 'What is on today?', { private: true, channel: 'telegram', session: 's1' });
    await engine.logTurn('assistant', 'The dentist at 10.', { private: true, channel: 'telegram', session: 's1' });
    await engine.logTurn('user', 'Another chat', { private: true, channel: 'telegram', session: 's2' });
    expect((await engine.recall({ channel: 'telegram', session: 's1' })).days[0]!.lines).toEqual([
      '- [12:00:00] user (telegram/s1): What is on today?',
      '- [12:00:00] assistant (telegram/s1): The dentist at 10.',
    ]);
  });
});

describe('opening the engine', () => {
  it('says to run the migrations when the memory tables are missing', async () => {
    const sql = sqliteTestClient();
    onCleanup(() => sql.close());
    await expect(openTestEngine({ sql })).rejects.toThrow(/^the memory tables are missing or unreadable \(no such table: memory_meta\); run `nexus migrate up` to create them$/);
  });
});

describe('memory stats', () => {
  it('counts files, chunks and vectors, and says which modes can answer and why', async () => {
    const { engine } = await openTestEngine({ files: corpusFiles() });
    await engine.index();
    expect(await engine.stats()).toMatchObject({
      files: 5,
      chunks: 5,
      vectors: 0,
      vector_backend: 'exact',
      vector_backend_reason: 'the vectors (0.0 MB) fit memory.search.in_process_max_mb (256 MB): compared in process, faster than the sqlite-vec scan',
      modes: ['lexical'],
      mismatches: [],
      embedder: { state: 'none' },
      cache: { entries: 0, hits: 0, misses: 0 },
      last_index: { files: { total: 5, changed: 5, unchanged: 0, removed: 0 } },
    });
  });
});
