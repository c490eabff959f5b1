import type { Clock } from '@nexus/plugin-sdk';
import type { MemorySettings, SearchMode } from '../config/index.js';
import { DailyLog, recallRecent, type DailyAppendReceipt, type FileLockOptions, type Recall } from '../daily-log/index.js';
import { CachedEmbedder, EmbeddingCache, OpenAiCompatibleEmbedder, type Embedder } from '../embeddings/index.js';
import { ChunkStore, VectorStore } from '../index-store/index.js';
import { EmbeddingState, indexMemory, MemoryWatcher, type IndexOptions, type IndexReport, type Scheduler } from '../indexer/index.js';
import { MemoryPaths } from '../paths/index.js';
import { searchMemory, type SearchResponse, type VectorSide } from '../search/index.js';
import type { SqlClient } from '../sql/index.js';
import { OPERATOR_ACCESS, type MemoryAccess } from './memory-access.js';
import { getMemory, type GetInput, type GetResult } from './memory-get.js';
import type { MemoryStats } from './memory-stats.js';
import { isWorkspaceWritable, writeMemory, type WriteInput, type WriteReceipt } from './memory-write.js';

export interface MemoryEngineOptions {
  /** The database with the memory migrations applied. */
  readonly sql: SqlClient;
  /** Absolute workspace folder. */
  readonly workspaceDir: string;
  /** `workspace.memory_file` (default MEMORY.md). */
  readonly memoryFile?: string;
  readonly settings: MemorySettings;
  readonly clock: Clock;
  /** Replaces the embedder `settings.embeddings` describes (undefined: use the settings; null: none). */
  readonly embedder?: Embedder | null;
  /** Waits between embedding retries; tests pass one that does not wait. */
  readonly retrySleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly lock?: FileLockOptions;
}

const SEARCH_MODES: readonly SearchMode[] = ['lexical', 'vector', 'hybrid'];

export interface SearchInput {
  readonly query: string;
  readonly max_results?: number;
  readonly mode?: SearchMode;
}

/**
 * The memory engine: the daily log, recall, the index over the Markdown files and search over
 * it, and the tool-shaped operations (`search`, `get`, `write`, `stats`) the plugin registers.
 * One per workspace and database. Index runs are serialised; a write marks the index stale, and
 * the next search brings it up to date first.
 */
export class MemoryEngine {
  readonly paths: MemoryPaths;
  readonly dailyLog: DailyLog;
  private readonly chunks: ChunkStore;
  private readonly vectors: VectorStore;
  private readonly embedding: EmbeddingState;
  private readonly cache: EmbeddingCache | undefined;
  private readonly http: OpenAiCompatibleEmbedder | undefined;
  private running: Promise<IndexReport> | undefined;
  private queued: { promise: Promise<IndexReport>; force: boolean } | undefined;
  private stale = true;
  private lastIndex: IndexReport | undefined;
  private readonly counters = { lexical: 0, vector: 0, hybrid: 0, fallbacks: 0 };

  private constructor(private readonly options: MemoryEngineOptions) {
    const { settings, sql, clock } = options;
    this.paths = new MemoryPaths({ workspaceDir: options.workspaceDir, memoryFile: options.memoryFile ?? 'MEMORY.md', dailyDirectory: settings.daily.directory, extraPaths: settings.paths });
    this.dailyLog = new DailyLog({ workspaceDir: this.paths.workspaceDir, directory: settings.daily.directory, timeZone: settings.timeZone, maxEntryChars: settings.daily.maxEntryChars, clock, ...(options.lock ? { lock: options.lock } : {}) });
    this.chunks = new ChunkStore(sql);
    this.vectors = new VectorStore(sql, settings.search.inProcessMaxMb * 1_048_576);
    let inner: Embedder | undefined;
    if (options.embedder !== undefined) inner = options.embedder ?? undefined;
    else if (settings.embeddings) {
      const e = settings.embeddings;
      this.http = new OpenAiCompatibleEmbedder({ baseUrl: e.baseUrl, apiKey: e.apiKey, model: e.model, dimensions: e.dimensions, batchSize: e.batchSize, headers: e.headers, timeoutMs: e.timeoutMs, maxRetries: e.maxRetries, ...(options.retrySleep ? { sleep: options.retrySleep } : {}) });
      inner = this.http;
    }
    const cacheSettings = settings.embeddings ?? { cacheTtlMs: 30 * 86_400_000, cacheMaxEntries: 50_000 };
    this.cache = inner ? new EmbeddingCache(sql, { ttlMs: cacheSettings.cacheTtlMs, maxEntries: cacheSettings.cacheMaxEntries, clock }) : undefined;
    this.embedding = new EmbeddingState(sql, inner && this.cache ? new CachedEmbedder(inner, this.cache) : undefined, clock);
  }

  /** Opens the engine on a migrated database: loads sqlite-vec when configured and possible. Does not index. */
  static async open(options: MemoryEngineOptions): Promise<MemoryEngine> {
    const engine = new MemoryEngine(options);
    try {
      await options.sql.all('SELECT value FROM memory_meta WHERE key = ?', ['embedding_model']);
    } catch (error) {
      throw new Error(`the memory tables are missing or unreadable (${(error as Error).message}); run \`nexus migrate up\` to create them`, { cause: error });
    }
    await engine.vectors.open(options.settings.search.sqliteVec);
    await engine.vectors.check(true);
    return engine;
  }

  get settings(): MemorySettings {
    return this.options.settings;
  }

  /**
   * Brings the index up to date. Runs one at a time: a call while one runs waits for a single
   * follow-up run (shared by every caller that asks meanwhile), since files may have changed
   * after the running one read them.
   */
  index(options: IndexOptions = {}): Promise<IndexReport> {
    if (!this.running && !this.queued) return this.start(options);
    if (this.queued && (this.queued.force || !options.force)) return this.queued.promise;
    const previous = this.queued?.promise ?? this.running!;
    const entry: { promise: Promise<IndexReport>; force: boolean } = { force: options.force === true, promise: Promise.resolve(undefined as never) };
    entry.promise = previous
      .catch(() => undefined)
      .then(() => {
        if (this.queued === entry) this.queued = undefined;
        return this.start(options);
      });
    this.queued = entry;
    return entry.promise;
  }

  private start(options: IndexOptions): Promise<IndexReport> {
    this.stale = false;
    const run = indexMemory(
      { sql: this.options.sql, paths: this.paths, chunks: this.chunks, vectors: this.vectors, embedding: this.embedding, chunking: this.settings.chunking, batchSize: this.settings.embeddings?.batchSize ?? 64, clock: this.options.clock },
      options,
    );
    this.running = run;
    return run.then(
      (report) => {
        if (this.running === run) this.running = undefined;
        this.lastIndex = report;
        return report;
      },
      (error: unknown) => {
        if (this.running === run) this.running = undefined;
        this.stale = true;
        throw error;
      },
    );
  }

  /** memory_search. MEMORY.md is left out for a session that is not private. */
  async search(input: SearchInput, access: MemoryAccess = OPERATOR_ACCESS, signal?: AbortSignal): Promise<SearchResponse> {
    if (typeof input?.query !== 'string' || input.query.trim() === '') throw new TypeError('query must be a non-empty string: the words or question to look for');
    if (input.mode !== undefined && !SEARCH_MODES.includes(input.mode)) throw new TypeError(`mode must be one of ${SEARCH_MODES.join(', ')}, not ${JSON.stringify(input.mode)}`);
    if (input.max_results !== undefined && (!Number.isInteger(input.max_results) || input.max_results < 1 || input.max_results > 100)) {
      throw new TypeError(`max_results must be a whole number from 1 to 100, not ${JSON.stringify(input.max_results)}`);
    }
    if (this.stale) await this.index();
    else if (this.running) await this.running.catch(() => undefined);
    const response = await searchMemory(
      { sql: this.options.sql, chunks: this.chunks, vectors: this.vectorSide(), settings: this.settings.search, today: () => this.dailyLog.today() },
      { query: input.query, maxResults: input.max_results, mode: input.mode, ...(access.private ? {} : { exclude: (chunk) => chunk.kind === 'memory' }), ...(signal ? { signal } : {}) },
    );
    this.counters[response.mode]++;
    if (response.fallback) this.counters.fallbacks++;
    return response;
  }

  /** memory_get: a cited range of a memory file. */
  get(input: GetInput, access: MemoryAccess = OPERATOR_ACCESS): Promise<GetResult> {
    return getMemory(this.paths, input, access);
  }

  /** memory_write: a note to today's file (tagged with the session) or to MEMORY.md. */
  async write(input: WriteInput, access: MemoryAccess = OPERATOR_ACCESS): Promise<WriteReceipt> {
    const receipt = await writeMemory(this.paths, this.dailyLog, input, access);
    this.stale = true;
    return receipt;
  }

  /** Logs one turn message to today's file when `memory.daily.log_turns` is on; undefined when off. */
  async logTurn(role: string, text: string, access: MemoryAccess & { readonly channel: string; readonly session: string }, at?: number): Promise<DailyAppendReceipt | undefined> {
    if (!this.settings.daily.logTurns || text.trim() === '') return undefined;
    if (!(await isWorkspaceWritable(this.paths.workspaceDir))) return undefined;
    const receipt = await this.dailyLog.append({ role, text, tag: { channel: access.channel, session: access.session }, ...(at !== undefined ? { at } : {}) });
    this.stale = true;
    return receipt;
  }

  /** The recent daily-log lines this session may see (`memory.recall`, `memory.scope`). */
  recall(access: { readonly channel?: string; readonly session?: string }): Promise<Recall> {
    return recallRecent({ workspaceDir: this.paths.workspaceDir, directory: this.settings.daily.directory, today: this.dailyLog.today(), days: this.settings.recall.days, maxLines: this.settings.recall.maxLines, scope: this.settings.scope, ...access });
  }

  /** Watches the memory files and re-indexes after `memory.watch.debounce` of quiet. The caller closes it. */
  watch(scheduler?: Scheduler, onError?: (error: Error) => void): MemoryWatcher {
    const watcher = new MemoryWatcher(this.paths, async () => void (await this.index()), { debounceMs: this.settings.watch.debounceMs, ...(scheduler ? { scheduler } : {}), ...(onError ? { onError } : {}) });
    watcher.start();
    return watcher;
  }

  async stats(): Promise<MemoryStats> {
    const counts = await this.chunks.counts();
    const mismatch = await this.vectors.check(true);
    const vectorRows = await this.vectors.mirrorRows();
    const backend = await this.vectors.backend();
    const state = await this.embedding.state();
    const paused = await this.embedding.pausedReason();
    const mismatches: MemoryStats['mismatches'][number][] = [];
    if (mismatch) mismatches.push({ kind: 'vec-rows', message: mismatch.message });
    if (this.embedding.embedder && !paused && counts.vectors < counts.chunks) {
      mismatches.push({ kind: 'vectors-missing', message: `${counts.chunks - counts.vectors} of ${counts.chunks} chunks have no vector yet; vector search does not see them until \`nexus memory index\` embeds them` });
    }
    const embedder = this.embedding.embedder;
    const vectorsUsable = embedder !== undefined && !paused && counts.vectors > 0;
    return {
      files: counts.files,
      chunks: counts.chunks,
      vectors: counts.vectors,
      ...(vectorRows !== undefined ? { vector_rows: vectorRows } : {}),
      vector_backend: backend.backend,
      ...(backend.reason ? { vector_backend_reason: backend.reason } : {}),
      modes: vectorsUsable ? ['lexical', 'vector', 'hybrid'] : ['lexical'],
      mismatches,
      embedder: {
        state,
        ...(embedder ? { provider: embedder.provider, model: embedder.model, ...(embedder.dimensions !== undefined ? { dimensions: embedder.dimensions } : {}) } : {}),
        ...(this.http ? { requests: this.http.requests } : {}),
        ...(this.embedding.lastError ? { last_error: this.embedding.lastError } : {}),
        ...(paused ? { paused } : {}),
      },
      cache: { entries: this.cache ? await this.cache.entries() : 0, hits: this.cache?.hits ?? 0, misses: this.cache?.misses ?? 0 },
      searches: { ...this.counters },
      ...(this.lastIndex ? { last_index: this.lastIndex } : {}),
    };
  }

  /** Whether memory can be written (a flush is skipped for a read-only workspace). */
  writable(): Promise<boolean> {
    return isWorkspaceWritable(this.paths.workspaceDir);
  }

  /** Waits for a running index (the engine holds no other resources; the caller owns the database). */
  async close(): Promise<void> {
    await this.running?.catch(() => undefined);
    await this.queued?.promise.catch(() => undefined);
  }

  private vectorSide(): VectorSide {
    const embedding = this.embedding;
    const chunks = this.chunks;
    const vectors = this.vectors;
    return {
      async status() {
        if (!embedding.embedder) return { unavailable: 'no embeddings provider is configured (memory.embeddings.provider is none), so search is lexical', notes: [] };
        const paused = await embedding.pausedReason();
        if (paused) return { unavailable: paused, notes: [] };
        const failure = embedding.recentFailure();
        if (failure) return { unavailable: failure, notes: [] };
        const counts = await chunks.counts();
        if (counts.vectors === 0) return { unavailable: 'no chunk has a vector yet; `nexus memory index` embeds them', notes: [] };
        return { notes: counts.vectors < counts.chunks ? [`${counts.chunks - counts.vectors} of ${counts.chunks} chunks have no vector yet and are found by words only`] : [] };
      },
      async embedQuery(query, signal) {
        try {
          const [vector] = await embedding.embedder!.embed([query], 'query', signal);
          embedding.succeeded();
          return vector!;
        } catch (error) {
          embedding.failed(error);
          throw error;
        }
      },
      search: (vector, k) => vectors.search(vector, k),
    };
  }
}
