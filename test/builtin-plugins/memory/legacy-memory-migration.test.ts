import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../../../src/kernel/config/index.js';
import { applyMigrations, hasLegacyMemoryKeys, migrateLegacyMemoryKeys, planMigrations } from '../../../src/kernel/migrations/index.js';
import { schemaCompiler, memorySchema } from './memory-test-kit.js';

function migrate(text: string) {
  const doc = parseDocument(text);
  const changes = migrateLegacyMemoryKeys(doc);
  return { changes, text: doc.toString(), data: doc.toJS() as Record<string, unknown> };
}

describe('moving session.memory and session.memory_flush into memory', () => {
  const OLD = `# my agent
session:
  default_agent_id: main
  memory:
    enabled: true     # log every turn
    directory: notes
    max_lines: 40
    days: 3
    scope: channel
  memory_flush:
    enabled: true
    threshold: 70
    prompt: Save what matters.
llm:
  default_provider: openai
`;

  it('moves every key to its new place and leaves the rest of the session section', () => {
    const { data, changes } = migrate(OLD);
    expect(data.session).toEqual({ default_agent_id: 'main' });
    // The old config had memory on, so the one switch that loads the memory plugin is set.
    expect(data.memory).toEqual({ enabled: true, daily: { log_turns: true, directory: 'notes' }, recall: { max_lines: 40, days: 3 }, scope: 'channel', compaction: { flush: true, prompt: 'Save what matters.' } });
    expect(changes.filter((c) => c.kind === 'moved').map((c) => `${c.pointer} -> ${c.to}`)).toEqual([
      '/session/memory/enabled -> /memory/daily/log_turns',
      '/session/memory/directory -> /memory/daily/directory',
      '/session/memory/max_lines -> /memory/recall/max_lines',
      '/session/memory/days -> /memory/recall/days',
      '/session/memory/scope -> /memory/scope',
      '/session/memory_flush/enabled -> /memory/compaction/flush',
      '/session/memory_flush/prompt -> /memory/compaction/prompt',
    ]);
  });

  it('drops the percentage threshold with a note saying what replaced it', () => {
    const dropped = migrate(OLD).changes.find((c) => c.pointer === '/session/memory_flush/threshold')!;
    expect(dropped.kind).toBe('dropped');
    expect(dropped.description).toContain('soft_threshold_tokens');
    expect(dropped.hint).toContain('reserve_tokens');
  });

  it('keeps comments elsewhere in the file and produces a config the memory schema accepts', () => {
    const { text, data } = migrate(OLD);
    expect(text).toContain('# my agent');
    expect(text).toContain('default_provider: openai');
    expect(schemaCompiler.validate(memorySchema, data.memory).valid).toBe(true);
  });

  it('does not overwrite a different value already in memory: that is a conflict, and the old key stays', () => {
    const { changes, data } = migrate(`session:\n  memory:\n    scope: global\n    days: 4\nmemory:\n  scope: session\n`);
    const conflict = changes.find((c) => c.kind === 'conflict')!;
    expect(conflict.pointer).toBe('/session/memory/scope');
    expect(conflict.to).toBe('/memory/scope');
    expect(conflict.hint).toContain('nexus doctor --repair');
    expect((data.session as { memory: unknown }).memory).toEqual({ scope: 'global' });
    expect(data.memory).toEqual({ scope: 'session', recall: { days: 4 } });
  });

  it('drops the old copy when the new place already holds the same value', () => {
    const { changes, data } = migrate(`session:\n  memory:\n    scope: global\nmemory:\n  scope: global\n`);
    expect(changes).toEqual([expect.objectContaining({ kind: 'dropped', pointer: '/session/memory/scope' })]);
    expect(data).toEqual({ memory: { scope: 'global' } });
  });

  it('reports a memory section that is not a mapping instead of guessing', () => {
    const { changes } = migrate(`session:\n  memory:\n    days: 1\nmemory: yes\n`);
    expect(changes).toEqual([expect.objectContaining({ kind: 'conflict', pointer: '/memory' })]);
  });

  it('fills an empty memory: key', () => {
    expect(migrate(`memory:\nsession:\n  memory:\n    days: 1\n`).data.memory).toEqual({ recall: { days: 1 } });
  });

  it('does nothing to a file without the old keys', () => {
    const doc = parseDocument('memory:\n  scope: global\n');
    expect(hasLegacyMemoryKeys(doc)).toBe(false);
    expect(migrateLegacyMemoryKeys(doc)).toEqual([]);
  });
});

describe("moving the Go version's tools.memory_search", () => {
  it('carries mode, limits, embeddings and durations over, and names the provider openai-compatible', () => {
    const { data, changes } = migrate(`tools:
  notes: be careful
  memory_search:
    enabled: true
    directory: memory
    memory_file: NOTES.md
    max_results: 8
    max_snippet_len: 300
    mode: vector
    embeddings:
      provider: openai
      api_key: sk-test
      model: text-embedding-3-small
      cache_dir: ~/.nexus/cache/embeddings
      cache_ttl: 24h
      timeout: 1m30s
`);
    expect(data.tools).toEqual({ notes: 'be careful' });
    expect(data.workspace).toEqual({ memory_file: 'NOTES.md' });
    expect(data.memory).toEqual({
      enabled: true,
      embeddings: { provider: 'openai-compatible', base_url: 'https://api.openai.com/v1', api_key: 'sk-test', model: 'text-embedding-3-small', cache: { ttl: '1d' }, timeout: '90s' },
      daily: { directory: 'memory' },
      search: { mode: 'vector', max_results: 8, snippet_max_chars: 300 },
    });
    expect(changes.filter((c) => c.kind === 'dropped').map((c) => c.pointer)).toEqual(['/tools/memory_search/enabled', '/tools/memory_search/embeddings/cache_dir']);
    expect(schemaCompiler.validate(memorySchema, data.memory).valid).toBe(true);
  });

  it('turns on openai-compatible when base_url and model were both set without a provider, as the Go version did', () => {
    const { data } = migrate(`tools:\n  memory_search:\n    embeddings:\n      base_url: http://127.0.0.1:11434/v1\n      model: nomic-embed-text\n`);
    expect((data.memory as { embeddings: unknown }).embeddings).toEqual({ base_url: 'http://127.0.0.1:11434/v1', model: 'nomic-embed-text', provider: 'openai-compatible' });
    expect(data.tools).toBeUndefined();
  });

  it('reports a provider it does not know, and a duration it cannot read', () => {
    const { changes } = migrate(`tools:\n  memory_search:\n    embeddings:\n      provider: vertex\n      cache_ttl: forever\n`);
    expect(changes.filter((c) => c.kind === 'conflict').map((c) => c.pointer)).toEqual(['/tools/memory_search/embeddings/provider', '/tools/memory_search/embeddings/cache_ttl']);
  });

  it('conflicts when the two directories disagree', () => {
    const { changes } = migrate(`session:\n  memory:\n    directory: journal\ntools:\n  memory_search:\n    directory: memory\n`);
    expect(changes.find((c) => c.kind === 'conflict')).toMatchObject({ pointer: '/tools/memory_search/directory', to: '/memory/daily/directory' });
  });
});

describe('old memory keys in a config file', () => {
  const FILE = 'version: 1\nsession:\n  default_agent_id: main\n  memory:\n    enabled: true\n    days: 3\n';

  it('load with a warning per moved key, read from their new places, the file untouched', () => {
    const loaded = parseConfigText(FILE, '/etc/nexus.yaml');
    expect(loaded.data).toMatchObject({ session: { default_agent_id: 'main' }, memory: { enabled: true, daily: { log_turns: true }, recall: { days: 3 } } });
    expect((loaded.data.session as Record<string, unknown>).memory).toBeUndefined();
    const warnings = loaded.diagnostics.filter((d) => d.code === 'config.legacy-memory-key');
    expect(warnings.map((w) => w.source?.pointer)).toEqual(['/session/memory/enabled', '/session/memory/days', '/memory/enabled']);
    expect(warnings[0]).toMatchObject({ level: 'warning', source: { file: '/etc/nexus.yaml', line: 5 } });
    expect(warnings[0]!.message).toMatch(/moved session\.memory\.enabled to memory\.daily\.log_turns \(read from its old place for this run; the file is unchanged\)/);
    expect(warnings[0]!.hint).toMatch(/nexus doctor --repair/);
  });

  it('are a pending repair for `doctor`, which `--repair` writes, keeping the old file as .bak', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nexus-legacy-memory-'));
    const path = join(dir, 'nexus.yaml');
    writeFileSync(path, FILE);
    const plan = planMigrations(FILE, path);
    expect(plan).toMatchObject({ pending: true, fromVersion: 1, toVersion: 1, conflicts: [] });
    const applied = applyMigrations(path);
    expect(applied.written).toBe(true);
    expect(readFileSync(`${path}.bak`, 'utf8')).toBe(FILE);
    expect(readFileSync(path, 'utf8')).toBe('version: 1\nsession:\n  default_agent_id: main\nmemory:\n  daily:\n    log_turns: true\n  recall:\n    days: 3\n  enabled: true\n');
    expect(planMigrations(readFileSync(path, 'utf8'), path).pending).toBe(false);
  });
});
