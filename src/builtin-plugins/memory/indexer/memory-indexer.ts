import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Clock } from '@nexus/plugin-sdk';
import { chunkingKey, chunkMarkdown, type ChunkingOptions } from '../chunking/index.js';
import { redactSecrets } from '../daily-log/index.js';
import type { ChunkStore, FileVersion, VectorStore } from '../index-store/index.js';
import type { MemoryPaths } from '../paths/index.js';
import type { SqlClient } from '../sql/index.js';
import type { EmbeddingState } from './embedding-state.js';

export interface IndexOptions {
  /** Re-read and re-chunk every file, and embed every chunk again (from the cache where it can). */
  readonly force?: boolean;
  readonly signal?: AbortSignal;
  /** Called as files are read and chunks embedded, for a progress bar. */
  readonly onProgress?: (progress: IndexProgress) => void;
}

export interface IndexProgress {
  readonly phase: 'files' | 'embeddings';
  readonly done: number;
  readonly total: number;
}

export interface IndexReport {
  readonly files: { readonly total: number; readonly changed: number; readonly unchanged: number; readonly removed: number };
  readonly chunks: { readonly added: number; readonly kept: number; readonly removed: number };
  /** Chunks embedded this run, and chunks still without a vector. */
  readonly vectors: { readonly embedded: number; readonly missing: number };
  readonly skipped: readonly { readonly path: string; readonly reason: string }[];
  /** Why no embeddings were made although an embedder is configured (paused, endpoint failed). */
  readonly embeddingProblem?: string;
  /** Set when the sqlite-vec table was out of step and was rebuilt. */
  readonly repaired?: string;
  readonly durationMs: number;
}

export interface IndexerDeps {
  readonly sql: SqlClient;
  readonly paths: MemoryPaths;
  readonly chunks: ChunkStore;
  readonly vectors: VectorStore;
  readonly embedding: EmbeddingState;
  readonly chunking: ChunkingOptions;
  readonly batchSize: number;
  readonly clock: Clock;
}

/** Files written per transaction: one commit (one fsync on SQLite) for many files. */
const FILES_PER_TRANSACTION = 64;
/** Files stat'ed between two yields to the event loop. */
const STATS_PER_SLICE = 256;

/**
 * Brings the index in line with the files. A file whose size and time stamp match what was
 * indexed is not read; one whose bytes hash the same is not re-chunked; chunks whose text did not
 * change keep their rows and vectors. Then every chunk without a vector is embedded (batch by
 * batch, each batch committed, so a failure keeps what was done), unless vector search is paused.
 */
export async function indexMemory(deps: IndexerDeps, options: IndexOptions = {}): Promise<IndexReport> {
  const started = deps.clock.now();
  const force = options.force === true;
  const key = chunkingKey(deps.chunking);
  const { files, skipped } = await deps.paths.list();
  const stored = await deps.chunks.files();
  const changed: FileVersion[] = [];
  const touched: { path: string; mtimeMs: number; size: number }[] = [];
  let unchanged = 0;
  const infos = await statAll(files.map((file) => file.absolutePath));
  for (const [i, file] of files.entries()) {
    options.signal?.throwIfAborted();
    options.onProgress?.({ phase: 'files', done: i, total: files.length });
    const info = infos[i];
    if (!info) continue;
    const mtimeMs = Math.trunc(info.mtimeMs);
    const previous = stored.get(file.path);
    const sameSettings = previous !== undefined && previous.chunking === key;
    if (!force && sameSettings && previous.size === info.size && previous.mtimeMs === mtimeMs) {
      unchanged++;
      continue;
    }
    const text = await readFile(file.absolutePath, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const hash = createHash('sha256').update(text, 'utf8').digest('hex');
    if (!force && sameSettings && previous.hash === hash) {
      unchanged++;
      touched.push({ path: file.path, mtimeMs, size: info.size });
      continue;
    }
    changed.push({ file, hash, size: info.size, mtimeMs, chunking: key, chunks: chunkMarkdown(text, deps.chunking) });
  }
  options.onProgress?.({ phase: 'files', done: files.length, total: files.length });
  const present = new Set(files.map((f) => f.path));
  const gone = [...stored.keys()].filter((path) => !present.has(path));

  let added = 0;
  let kept = 0;
  let removed = 0;
  const now = deps.clock.now();
  for (let i = 0; i < Math.max(changed.length, touched.length, gone.length); i += FILES_PER_TRANSACTION) {
    const versions = changed.slice(i, i + FILES_PER_TRANSACTION);
    const touches = touched.slice(i, i + FILES_PER_TRANSACTION);
    const deletions = gone.slice(i, i + FILES_PER_TRANSACTION);
    await deps.sql.transaction(async (tx) => {
      const removedIds: number[] = [];
      for (const version of versions) {
        const outcome = await deps.chunks.replace(tx, version, now);
        added += outcome.added;
        kept += outcome.kept;
        removedIds.push(...outcome.removedIds);
      }
      for (const path of deletions) removedIds.push(...(await deps.chunks.remove(tx, path)));
      for (const t of touches) await deps.chunks.touch(tx, t.path, t.mtimeMs, t.size);
      removed += removedIds.length;
      await deps.vectors.removed(tx, removedIds);
    });
  }

  const embedding = await embedChunks(deps, force, options);
  let repaired: string | undefined;
  const mismatch = await deps.vectors.check(true);
  if (mismatch) {
    await deps.vectors.repair();
    repaired = `${mismatch.message.split(';')[0]}; rebuilt from the stored vectors`;
  }
  const counts = await deps.chunks.counts();
  return {
    files: { total: files.length, changed: changed.length, unchanged, removed: gone.length },
    chunks: { added, kept, removed },
    vectors: { embedded: embedding.embedded, missing: deps.embedding.embedder ? counts.chunks - counts.vectors : 0 },
    skipped,
    ...(embedding.problem ? { embeddingProblem: embedding.problem } : {}),
    ...(repaired ? { repaired } : {}),
    durationMs: deps.clock.now() - started,
  };
}

async function embedChunks(deps: IndexerDeps, force: boolean, options: IndexOptions): Promise<{ embedded: number; problem?: string }> {
  const embedder = deps.embedding.embedder;
  if (!embedder) return { embedded: 0 };
  if (force) {
    await deps.sql.transaction(async (tx) => {
      await deps.vectors.clear(tx);
      await deps.embedding.adopt(tx);
    });
  } else {
    const paused = await deps.embedding.pausedReason();
    if (paused) return { embedded: 0, problem: paused };
    if ((await deps.embedding.storedKey()) === undefined) await deps.embedding.adopt(deps.sql);
  }
  const before = await deps.chunks.counts();
  const total = before.chunks - before.vectors;
  let embedded = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    const batch = await deps.chunks.chunksWithoutVectors(deps.batchSize);
    if (batch.length === 0) break;
    options.onProgress?.({ phase: 'embeddings', done: embedded, total });
    let vectors: Float32Array[];
    try {
      // Secrets in the files stay out of what goes to the endpoint.
      vectors = await embedder.embed(batch.map((chunk) => redactSecrets(chunk.text)), 'document', options.signal);
      deps.embedding.succeeded();
    } catch (error) {
      if (options.signal?.aborted) throw error;
      deps.embedding.failed(error);
      return { embedded, problem: `embedding stopped: ${(error as Error).message}` };
    }
    await deps.sql.transaction((tx) => deps.vectors.add(tx, batch.map((chunk, i) => ({ id: chunk.id, vector: vectors[i]! })), deps.embedding.key!));
    embedded += batch.length;
  }
  options.onProgress?.({ phase: 'embeddings', done: embedded, total });
  return { embedded };
}

/**
 * Size and time stamp of every file. Synchronous stats in slices, yielding between them: a
 * thousand asynchronous ones each wait their turn on the thread pool, which made a one-file
 * re-index take a large multiple of the time the stats themselves take.
 */
async function statAll(paths: readonly string[]): Promise<({ size: number; mtimeMs: number } | undefined)[]> {
  const infos: ({ size: number; mtimeMs: number } | undefined)[] = [];
  for (let i = 0; i < paths.length; i += STATS_PER_SLICE) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    for (const path of paths.slice(i, i + STATS_PER_SLICE)) {
      const info = statSync(path, { throwIfNoEntry: false });
      infos.push(info?.isFile() ? { size: info.size, mtimeMs: info.mtimeMs } : undefined);
    }
  }
  return infos;
}
