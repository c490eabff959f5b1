// The memory engine for the memory benchmarks, and a generated corpus. The build bundles the
// memory plugin into one entry that exports only the plugin, so the engine's modules are loaded
// from the TypeScript sources through jiti, which strips the types: the code that runs is the same.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createJiti } from 'jiti';
import { repoRoot } from '../harness/paths.mjs';

const jiti = createJiti(import.meta.url);
const load = (path) => jiti.import(join(repoRoot, path));

export async function memoryModules() {
  const [operations, sql, fake] = await Promise.all([
    load('src/builtin-plugins/memory/operations/index.ts'),
    load('test/builtin-plugins/memory/sql-test-clients.ts'),
    load('test/fixtures/embeddings/fake-embeddings-server.ts'),
  ]);
  const config = await load('src/builtin-plugins/memory/config/index.ts');
  return { MemoryEngine: operations.MemoryEngine, sqliteTestClient: sql.sqliteTestClient, applyMigrations: sql.applyMigrations, startFakeEmbeddingsServer: fake.startFakeEmbeddingsServer, readMemorySettings: config.readMemorySettings };
}

/** The memory section with its schema defaults, as the kernel hands it over, plus `overrides` (shallow per block). */
export function memorySection(overrides = {}) {
  const section = {
    enabled: true,
    scope: 'session',
    daily: { log_turns: false, directory: 'memory', max_entry_chars: 2000 },
    recall: { days: 2, max_lines: 20 },
    paths: [],
    chunking: { tokens: 400, overlap: 80 },
    search: { mode: 'hybrid', max_results: 6, snippet_max_chars: 700, vector_weight: 0.7, text_weight: 0.3, candidate_multiplier: 4, sqlite_vec: true, in_process_max_mb: 256, mmr: { enabled: false, lambda: 0.7 }, temporal_decay: { enabled: false, half_life: '30d' } },
    watch: { enabled: false, debounce: '1.5s' },
    embeddings: { provider: 'none', batch_size: 64, headers: {}, timeout: '30s', max_retries: 2, cache: { ttl: '30d', max_entries: 50000 } },
    compaction: { enabled: true, context_window: 128000, keep_tokens: 8000, reserve_tokens: 20000, soft_threshold_tokens: 4000, flush: true, summary: 'model', prompt: 'x' },
  };
  for (const [key, value] of Object.entries(overrides)) section[key] = typeof value === 'object' && !Array.isArray(value) ? { ...section[key], ...value } : value;
  return section;
}

/** A deterministic generator (mulberry32), so every run indexes the same corpus. */
function random(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = ['ka', 'lo', 'mi', 'ran', 'te', 'vo', 'su', 'ne', 'dri', 'pa', 'gol', 'ish', 'ur', 'be', 'zen', 'tor', 'al', 'qui', 'fen', 'do'];

/** 5000 made-up words, drawn with a Zipf-like skew so some are everywhere and most are rare, as in real notes. */
export function vocabulary() {
  const next = random(17);
  const words = new Set();
  while (words.size < 5000) {
    const n = 2 + Math.floor(next() * 3);
    let word = '';
    for (let i = 0; i < n; i++) word += SYLLABLES[Math.floor(next() * SYLLABLES.length)];
    words.add(word);
  }
  return [...words];
}

function zipf(next, size) {
  // Inverse-CDF sampling of p(k) ∝ 1/k over ranks 1…size.
  const h = Math.log(size) + 0.5772;
  return Math.min(size - 1, Math.floor(Math.exp(next() * h - 0.5772)));
}

/**
 * `files` Markdown files of `sections` sections each; every section (a heading and a paragraph of
 * about 300 tokens) becomes one chunk at the default 400-token size, so 1000 × 10 is 10,000 chunks.
 * A third of the files are daily files (memory/YYYY-MM-DD.md), the rest topic notes.
 */
export function writeCorpus(dir, files = 1000, sections = 10) {
  const words = vocabulary();
  const next = random(42);
  const paths = [];
  for (let f = 0; f < files; f++) {
    const path = f % 3 === 0 ? `memory/${new Date(Date.UTC(2023, 0, 1) + f * 86_400_000).toISOString().slice(0, 10)}.md` : `memory/topics/topic-${f}.md`;
    const parts = [`# ${words[f % words.length]} notes ${f}`];
    for (let s = 0; s < sections; s++) {
      const paragraph = [];
      let length = 0;
      while (length < 1150) {
        const word = words[zipf(next, words.length)];
        paragraph.push(word);
        length += word.length + 1;
      }
      parts.push(`## Section ${s} ${words[(f * 7 + s) % words.length]}`, `${paragraph.join(' ')}.`);
    }
    const absolute = join(dir, path);
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, `${parts.join('\n\n')}\n`);
    paths.push(path);
  }
  return { paths, words };
}

/** `count` queries of two or three mid-frequency words (ranks 30…1500: present in some chunks, not most). */
export function queries(words, count) {
  const next = random(7);
  return Array.from({ length: count }, () => {
    const n = 2 + Math.floor(next() * 2);
    return Array.from({ length: n }, () => words[30 + Math.floor(next() * 1470)]).join(' ');
  });
}

export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const clock = { now: () => Date.now() };
