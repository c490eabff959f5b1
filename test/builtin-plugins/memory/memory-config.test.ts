import { describe, expect, it } from 'vitest';
import { MemoryConfigError, readMemorySettings } from '../../../src/builtin-plugins/memory/config/index.js';
import { memorySchema, memorySection, memorySettings, schemaCompiler } from './memory-test-kit.js';

describe('memory config schema', () => {
  it('is a schema the kernel compiles, and {} gets the documented defaults', () => {
    const settings = memorySettings({});
    expect(settings).toMatchObject({
      enabled: false,
      scope: 'session',
      timeZone: 'UTC',
      daily: { logTurns: false, directory: 'memory', maxEntryChars: 2000 },
      recall: { days: 2, maxLines: 20 },
      paths: [],
      chunking: { tokens: 400, overlap: 80 },
      search: { mode: 'hybrid', maxResults: 6, vectorWeight: 0.7, textWeight: 0.3, candidateMultiplier: 4, sqliteVec: true, mmr: { enabled: false, lambda: 0.7 }, temporalDecay: { enabled: false, halfLifeMs: 30 * 86_400_000 } },
      watch: { enabled: true, debounceMs: 1500 },
      compaction: { enabled: true, contextWindow: 128000, keepTokens: 8000, reserveTokens: 20000, softThresholdTokens: 4000, flush: true },
    });
    expect(settings.embeddings).toBeUndefined();
  });

  it('reads an openai-compatible embeddings block with its cache defaults', () => {
    const settings = memorySettings({ embeddings: { provider: 'openai-compatible', base_url: 'http://127.0.0.1:9/v1', model: 'm', api_key: 'k', dimensions: 8, headers: { 'x-team': 't' } } });
    expect(settings.embeddings).toEqual({ provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'k', model: 'm', dimensions: 8, batchSize: 64, headers: { 'x-team': 't' }, timeoutMs: 30_000, maxRetries: 2, cacheTtlMs: 30 * 86_400_000, cacheMaxEntries: 50_000 });
  });

  it('marks the API key and header values writeOnly, so they never appear in messages', () => {
    const embeddings = (memorySchema.properties as Record<string, { properties: Record<string, { writeOnly?: boolean; additionalProperties?: { writeOnly?: boolean } }> }>).embeddings!.properties;
    expect(embeddings.api_key!.writeOnly).toBe(true);
    expect(embeddings.headers!.additionalProperties!.writeOnly).toBe(true);
  });

  it('refuses openai-compatible without a base URL or model in the schema itself', () => {
    const result = schemaCompiler.validate(memorySchema, { embeddings: { provider: 'openai-compatible', model: 'm' } });
    expect(result.valid).toBe(false);
    expect(JSON.stringify((result as { errors: unknown }).errors)).toContain('base_url');
  });

  it('refuses unknown keys and bad values', () => {
    const compiler = schemaCompiler;
    expect(compiler.validate(memorySchema, { scope: 'team' }).valid).toBe(false);
    expect(compiler.validate(memorySchema, { search: { temporal_decay: { half_life: 'a month' } } }).valid).toBe(false);
    expect(compiler.validate(memorySchema, { recall: { days: -1 } }).valid).toBe(false);
    expect(compiler.validate(memorySchema, { directory: 'memory' }).valid).toBe(false);
  });

  it('accepts extra paths as strings or {path, evergreen}', () => {
    expect(memorySettings({ paths: ['notes', { path: 'docs/handbook.md', evergreen: true }] }).paths).toEqual([
      { path: 'notes', evergreen: false },
      { path: 'docs/handbook.md', evergreen: true },
    ]);
  });
});

describe('readMemorySettings', () => {
  const fails = (value: unknown, context = {}) => {
    try {
      readMemorySettings(memorySection(value), { hostTimeZone: 'UTC', ...context });
    } catch (error) {
      return error as MemoryConfigError;
    }
    throw new Error('expected a MemoryConfigError');
  };

  it('names an unknown time zone, where it came from, and how to fix it', () => {
    const error = fails({ timezone: 'Mars/Olympus' });
    expect(error).toBeInstanceOf(MemoryConfigError);
    expect(error.pointer).toBe('/memory/timezone');
    expect(error.message).toContain('"Mars/Olympus" is not a time zone');
    expect(error.message).toContain('Europe/Berlin');
    expect(fails({}, { userTimeZone: 'Nowhere/Land' }).pointer).toBe('/user/timezone');
  });

  it('uses memory.timezone, then user.timezone, then the host zone', () => {
    expect(readMemorySettings(memorySection({ timezone: 'Asia/Tokyo' }), { userTimeZone: 'Europe/Berlin', hostTimeZone: 'UTC' }).timeZone).toBe('Asia/Tokyo');
    expect(readMemorySettings(memorySection({}), { userTimeZone: 'Europe/Berlin', hostTimeZone: 'UTC' }).timeZone).toBe('Europe/Berlin');
    expect(readMemorySettings(memorySection({}), { hostTimeZone: 'America/New_York' }).timeZone).toBe('America/New_York');
  });

  it('refuses an overlap as large as the chunk', () => {
    const error = fails({ chunking: { tokens: 100, overlap: 100 } });
    expect(error.pointer).toBe('/memory/chunking/overlap');
    expect(error.message).toContain('not smaller than the chunk size');
  });

  it('refuses hybrid weights that are both zero', () => {
    expect(fails({ search: { vector_weight: 0, text_weight: 0 } }).pointer).toBe('/memory/search/vector_weight');
  });

  it('refuses a daily folder outside the workspace', () => {
    expect(fails({ daily: { directory: '../elsewhere' } }).pointer).toBe('/memory/daily/directory');
    expect(fails({ daily: { directory: '/var/memory' } }).pointer).toBe('/memory/daily/directory');
  });

  it('refuses a zero duration where one must pass', () => {
    expect(fails({ embeddings: { provider: 'openai-compatible', base_url: 'http://x/v1', model: 'm', cache: { ttl: '0s' } } }).pointer).toBe('/memory/embeddings/cache/ttl');
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(fails({ embeddings: { provider: 'openai-compatible', base_url: 'ftp://x/v1', model: 'm' } }).message).toContain('ftp:');
  });
});
