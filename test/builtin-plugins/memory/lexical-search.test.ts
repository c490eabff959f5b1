import { describe, expect, it } from 'vitest';
import { bm25RankToScore, queryTerms } from '../../../src/builtin-plugins/memory/index-store/index.js';
import { corpusFiles, openTestEngine } from './memory-test-kit.js';

describe('lexical search on SQLite (FTS5 bm25)', () => {
  it('ranks the chunks that hold more, and rarer, query words first', async () => {
    const { engine } = await openTestEngine({ files: corpusFiles(), config: { search: { mode: 'lexical' } } });
    const found = await engine.search({ query: 'night train Lisbon' });
    expect(found.mode).toBe('lexical');
    expect(found.fallback).toBeUndefined();
    expect(found.results.map((r) => r.path)).toEqual(['memory/2026-03-10.md', 'MEMORY.md']);
    expect(found.results[0]!.score).toBeGreaterThan(found.results[1]!.score);
    expect(found.results[0]).toMatchObject({ start_line: 1, end_line: 5 });
    expect(found.results[0]!.snippet).toContain('Sud Express night train');
  });

  it('finds a word in one document of several above a word in many', async () => {
    const { engine } = await openTestEngine({ files: corpusFiles(), config: { search: { mode: 'lexical' } } });
    const found = await engine.search({ query: 'green cinnamon' });
    // "green" is in MEMORY.md and recipes.md; "cinnamon" only in recipes.md.
    expect(found.results.map((r) => r.path)).toEqual(['memory/recipes.md', 'MEMORY.md']);
  });

  it('gives each result its file, workspace-relative, and line range', async () => {
    const { engine } = await openTestEngine({ files: corpusFiles(), config: { search: { mode: 'lexical' }, chunking: { tokens: 50, overlap: 10 } } });
    const [hit] = (await engine.search({ query: 'cinnamon' })).results;
    expect(hit).toMatchObject({ path: 'memory/recipes.md', start_line: 1, end_line: 5 });
    const lines = (await engine.get({ path: hit!.path, from: hit!.start_line, lines: hit!.end_line - hit!.start_line + 1 })).text;
    expect(lines).toContain('cinnamon');
  });

  it('answers a query of punctuation only with nothing, not an FTS syntax error', async () => {
    const { engine } = await openTestEngine({ files: corpusFiles(), config: { search: { mode: 'lexical' } } });
    expect((await engine.search({ query: '"*) OR (' })).results).toEqual([]);
    expect((await engine.search({ query: 'NEAR(train' })).results.length).toBeGreaterThan(0);
  });

  it('says it answered lexically, and why, when hybrid was asked for without an embedder', async () => {
    const { engine } = await openTestEngine({ files: corpusFiles() });
    const found = await engine.search({ query: 'tea' });
    expect(found.mode).toBe('lexical');
    expect(found.fallback).toEqual({ from: 'hybrid', reason: 'no embeddings provider is configured (memory.embeddings.provider is none), so search is lexical' });
    expect(found.results[0]!.path).toBe('MEMORY.md');
    expect((await engine.stats()).searches).toEqual({ lexical: 1, vector: 0, hybrid: 0, fallbacks: 1 });
  });

  it('refuses a query, mode or max_results it cannot use, saying what it takes', async () => {
    const { engine } = await openTestEngine({ files: corpusFiles() });
    await expect(engine.search({ query: '  ' })).rejects.toThrow('query must be a non-empty string');
    await expect(engine.search({ query: 'tea', mode: 'semantic' as 'lexical' })).rejects.toThrow('mode must be one of lexical, vector, hybrid, not "semantic"');
    await expect(engine.search({ query: 'tea', max_results: 0 })).rejects.toThrow('max_results must be a whole number from 1 to 100, not 0');
  });

  it('limits results to max_results', async () => {
    const { engine } = await openTestEngine({ files: corpusFiles(), config: { search: { mode: 'lexical' } } });
    expect((await engine.search({ query: 'the', max_results: 2 })).results).toHaveLength(2);
  });
});

describe('bm25 normalisation', () => {
  it('maps FTS5 ranks (negative, lower is better) onto 0…1, higher is better', () => {
    expect(bm25RankToScore(-3)).toBeCloseTo(0.75);
    expect(bm25RankToScore(-1)).toBeCloseTo(0.5);
    expect(bm25RankToScore(-3)).toBeGreaterThan(bm25RankToScore(-1));
    expect(bm25RankToScore(0)).toBe(1);
    expect(bm25RankToScore(Number.NaN)).toBe(0);
  });

  it('takes words in any script, lower-cased, once each', () => {
    expect(queryTerms('Café CAFÉ Straße 東京 "x" -- y_z')).toEqual(['café', 'straße', '東京', 'x', 'y_z']);
  });
});
