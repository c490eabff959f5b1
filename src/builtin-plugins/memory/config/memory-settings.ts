import { parseDuration } from '@nexus/plugin-sdk';
import { isAbsolute } from 'node:path';
import { MemoryConfigError } from './memory-config-error.js';

export type MemoryScope = 'session' | 'channel' | 'global';
export type SearchMode = 'lexical' | 'vector' | 'hybrid';

/** The `memory` section exactly as the schema (with its defaults) hands it over. */
export interface MemorySection {
  readonly enabled: boolean;
  readonly scope: MemoryScope;
  readonly timezone?: string;
  readonly daily: { readonly log_turns: boolean; readonly directory: string; readonly max_entry_chars: number };
  readonly recall: { readonly days: number; readonly max_lines: number };
  readonly paths: readonly (string | { readonly path: string; readonly evergreen?: boolean })[];
  readonly chunking: { readonly tokens: number; readonly overlap: number };
  readonly search: {
    readonly mode: SearchMode;
    readonly max_results: number;
    readonly snippet_max_chars: number;
    readonly vector_weight: number;
    readonly text_weight: number;
    readonly candidate_multiplier: number;
    readonly sqlite_vec: boolean;
    readonly in_process_max_mb: number;
    readonly mmr: { readonly enabled: boolean; readonly lambda: number };
    readonly temporal_decay: { readonly enabled: boolean; readonly half_life: string };
  };
  readonly watch: { readonly enabled: boolean; readonly debounce: string };
  readonly embeddings: {
    readonly provider: 'none' | 'openai-compatible';
    readonly base_url?: string;
    readonly api_key?: string;
    readonly model?: string;
    readonly dimensions?: number;
    readonly batch_size: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly timeout: string;
    readonly max_retries: number;
    readonly cache: { readonly ttl: string; readonly max_entries: number };
  };
  readonly compaction: {
    readonly enabled: boolean;
    readonly context_window: number;
    readonly keep_tokens: number;
    readonly reserve_tokens: number;
    readonly soft_threshold_tokens: number;
    readonly flush: boolean;
    readonly summary: 'model' | 'extractive';
    readonly prompt: string;
  };
}

export interface ExtraPath {
  /** As configured: relative to the workspace, or absolute. */
  readonly path: string;
  readonly evergreen: boolean;
}

export interface EmbeddingSettings {
  readonly provider: 'openai-compatible';
  readonly baseUrl: string;
  readonly apiKey?: string;
  readonly model: string;
  readonly dimensions?: number;
  readonly batchSize: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly cacheTtlMs: number;
  readonly cacheMaxEntries: number;
}

/** The section in the engine's terms: durations in milliseconds, paths normalised, the time zone resolved. */
export interface MemorySettings {
  readonly enabled: boolean;
  readonly scope: MemoryScope;
  readonly timeZone: string;
  readonly daily: { readonly logTurns: boolean; readonly directory: string; readonly maxEntryChars: number };
  readonly recall: { readonly days: number; readonly maxLines: number };
  readonly paths: readonly ExtraPath[];
  readonly chunking: { readonly tokens: number; readonly overlap: number };
  readonly search: {
    readonly mode: SearchMode;
    readonly maxResults: number;
    readonly snippetMaxChars: number;
    readonly vectorWeight: number;
    readonly textWeight: number;
    readonly candidateMultiplier: number;
    readonly sqliteVec: boolean;
    readonly inProcessMaxMb: number;
    readonly mmr: { readonly enabled: boolean; readonly lambda: number };
    readonly temporalDecay: { readonly enabled: boolean; readonly halfLifeMs: number };
  };
  readonly watch: { readonly enabled: boolean; readonly debounceMs: number };
  /** Undefined with `provider: none`. */
  readonly embeddings?: EmbeddingSettings;
  readonly compaction: {
    readonly enabled: boolean;
    readonly contextWindow: number;
    readonly keepTokens: number;
    readonly reserveTokens: number;
    readonly softThresholdTokens: number;
    readonly flush: boolean;
    readonly summary: 'model' | 'extractive';
    readonly prompt: string;
  };
}

export interface SettingsContext {
  /** `user.timezone`, used when `memory.timezone` is not set. */
  readonly userTimeZone?: string;
  /** The host's zone, the last resort; defaults to what Intl reports. */
  readonly hostTimeZone?: string;
}

/**
 * Turns the validated section into settings, checking what a schema cannot: that the time zone
 * exists, the overlap is smaller than the chunk, the weights are not both zero, the durations
 * are positive, and the daily folder stays inside the workspace.
 */
export function readMemorySettings(section: MemorySection, context: SettingsContext = {}): MemorySettings {
  const timeZone = section.timezone ?? context.userTimeZone ?? context.hostTimeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zonePointer = section.timezone !== undefined ? '/memory/timezone' : '/user/timezone';
  if (!isTimeZone(timeZone)) throw new MemoryConfigError(zonePointer, `"${timeZone}" is not a time zone this Node knows`, 'use an IANA name such as Europe/Berlin or America/New_York, or UTC');

  const { chunking, search, embeddings } = section;
  if (chunking.overlap >= chunking.tokens) {
    throw new MemoryConfigError('/memory/chunking/overlap', `the overlap (${chunking.overlap}) is not smaller than the chunk size (${chunking.tokens} tokens)`, 'lower memory.chunking.overlap, e.g. to a fifth of memory.chunking.tokens');
  }
  if (search.vector_weight + search.text_weight === 0) {
    throw new MemoryConfigError('/memory/search/vector_weight', 'vector_weight and text_weight are both 0, so every hybrid score would be 0', 'give at least one a positive weight (the defaults are 0.7 and 0.3)');
  }
  const directory = section.daily.directory.replace(/\\/g, '/').replace(/\/+$/, '');
  if (isAbsolute(directory) || directory.split('/').includes('..') || directory === '' || directory === '.') {
    throw new MemoryConfigError('/memory/daily/directory', `"${section.daily.directory}" is not a folder inside the workspace`, 'give a relative folder such as memory');
  }

  return {
    enabled: section.enabled,
    scope: section.scope,
    timeZone,
    daily: { logTurns: section.daily.log_turns, directory, maxEntryChars: section.daily.max_entry_chars },
    recall: { days: section.recall.days, maxLines: section.recall.max_lines },
    paths: section.paths.map((entry) => (typeof entry === 'string' ? { path: entry, evergreen: false } : { path: entry.path, evergreen: entry.evergreen ?? false })),
    chunking: { tokens: chunking.tokens, overlap: chunking.overlap },
    search: {
      mode: search.mode,
      maxResults: search.max_results,
      snippetMaxChars: search.snippet_max_chars,
      vectorWeight: search.vector_weight,
      textWeight: search.text_weight,
      candidateMultiplier: search.candidate_multiplier,
      sqliteVec: search.sqlite_vec,
      inProcessMaxMb: search.in_process_max_mb,
      mmr: { enabled: search.mmr.enabled, lambda: search.mmr.lambda },
      temporalDecay: { enabled: search.temporal_decay.enabled, halfLifeMs: positiveDuration(search.temporal_decay.half_life, '/memory/search/temporal_decay/half_life') },
    },
    watch: { enabled: section.watch.enabled, debounceMs: duration(section.watch.debounce, '/memory/watch/debounce') },
    embeddings: embeddings.provider === 'none' ? undefined : embeddingSettings(embeddings),
    compaction: {
      enabled: section.compaction.enabled,
      contextWindow: section.compaction.context_window,
      keepTokens: section.compaction.keep_tokens,
      reserveTokens: section.compaction.reserve_tokens,
      softThresholdTokens: section.compaction.soft_threshold_tokens,
      flush: section.compaction.flush,
      summary: section.compaction.summary,
      prompt: section.compaction.prompt,
    },
  };
}

function embeddingSettings(section: MemorySection['embeddings']): EmbeddingSettings {
  if (!section.base_url) throw new MemoryConfigError('/memory/embeddings/base_url', 'provider openai-compatible needs a base URL', 'set memory.embeddings.base_url, e.g. https://api.openai.com/v1');
  if (!section.model) throw new MemoryConfigError('/memory/embeddings/model', 'provider openai-compatible needs a model', 'set memory.embeddings.model, e.g. text-embedding-3-small');
  let url: URL;
  try {
    url = new URL(section.base_url);
  } catch {
    throw new MemoryConfigError('/memory/embeddings/base_url', 'is not a URL', 'give an http(s) URL such as https://api.openai.com/v1');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new MemoryConfigError('/memory/embeddings/base_url', `uses ${url.protocol}`, 'give an http or https URL');
  return {
    provider: 'openai-compatible',
    baseUrl: section.base_url,
    apiKey: section.api_key,
    model: section.model,
    dimensions: section.dimensions,
    batchSize: section.batch_size,
    headers: section.headers,
    timeoutMs: positiveDuration(section.timeout, '/memory/embeddings/timeout'),
    maxRetries: section.max_retries,
    cacheTtlMs: positiveDuration(section.cache.ttl, '/memory/embeddings/cache/ttl'),
    cacheMaxEntries: section.cache.max_entries,
  };
}

function duration(text: string, pointer: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new MemoryConfigError(pointer, `"${text}" is not a duration`, 'write a number and a unit: ms, s, m, h or d, e.g. 1.5s or 30d');
  return ms;
}

function positiveDuration(text: string, pointer: string): number {
  const ms = duration(text, pointer);
  if (ms <= 0) throw new MemoryConfigError(pointer, 'must be longer than 0', 'give a positive duration such as 30s or 30d');
  return ms;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
