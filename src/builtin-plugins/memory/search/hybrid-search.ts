import type { MemorySettings, SearchMode } from '../config/index.js';
import { lexicalSearch, queryTerms, type ChunkStore, type StoredChunk, type VectorSearch } from '../index-store/index.js';
import type { SqlClient } from '../sql/index.js';
import { mmrSelect, termSet } from './mmr.js';
import { snippetOf } from './snippet.js';
import { decayFactor } from './temporal-decay.js';

export interface SearchRequest {
  readonly query: string;
  readonly maxResults?: number;
  readonly mode?: SearchMode;
  /** Leaves files out (MEMORY.md in a group chat). */
  readonly exclude?: (chunk: StoredChunk) => boolean;
  readonly signal?: AbortSignal;
}

/** One result, in the shape memory_search and `nexus memory search --json` print. */
export interface SearchHit {
  /** Workspace-relative (absolute only for an extra path outside the workspace). */
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly snippet: string;
  readonly score: number;
}

export interface SearchResponse {
  /** The mode that answered. */
  readonly mode: SearchMode;
  /** Present when the answer came from another mode than the one asked for, with why. Never silent. */
  readonly fallback?: { readonly from: SearchMode; readonly reason: string };
  /** How vectors were compared, when they were. */
  readonly vector_backend?: 'sqlite-vec' | 'exact';
  /** Anything else worth knowing about this answer (a vector table out of step, chunks not yet embedded). */
  readonly notes?: readonly string[];
  readonly results: readonly SearchHit[];
}

/** What search needs from the vector side; the engine decides whether it is usable right now. */
export interface VectorSide {
  /**
   * `unavailable`: why vector search cannot run now (no embedder, model changed, endpoint failing,
   * nothing embedded); absent when it can. `notes`: what does not stop it (chunks not embedded yet).
   */
  status(): Promise<{ readonly unavailable?: string; readonly notes: readonly string[] }>;
  embedQuery(query: string, signal?: AbortSignal): Promise<Float32Array>;
  search(vector: Float32Array, k: number): Promise<VectorSearch>;
}

export interface SearchDeps {
  readonly sql: SqlClient;
  readonly chunks: ChunkStore;
  readonly vectors: VectorSide;
  readonly settings: MemorySettings['search'];
  /** Today in the agent's time zone, for temporal decay. */
  readonly today: () => string;
}

interface Candidate {
  readonly chunk: StoredChunk;
  text: number;
  vector: number;
}

const DAY_MS = 86_400_000;

/**
 * Lexical (FTS5 bm25 / tsvector), vector (cosine) or hybrid search over the chunks. Hybrid fuses
 * normalised scores, `vector_weight · cosine + text_weight · text`, over `max_results ×
 * candidate_multiplier` candidates from each side; then optional temporal decay and MMR. A mode
 * that cannot run falls back to lexical and the response says so, and why.
 */
export async function searchMemory(deps: SearchDeps, request: SearchRequest): Promise<SearchResponse> {
  const { settings } = deps;
  const requested = request.mode ?? settings.mode;
  const maxResults = Math.max(1, Math.min(100, Math.trunc(request.maxResults ?? settings.maxResults)));
  // Candidates beyond max_results only matter when something reorders them (fusion, MMR, decay) or drops some.
  const reorders = (request.mode ?? settings.mode) !== 'lexical' || settings.mmr.enabled || settings.temporalDecay.enabled || request.exclude !== undefined;
  const k = reorders ? maxResults * settings.candidateMultiplier : maxResults;

  let mode: SearchMode = requested;
  let fallback: SearchResponse['fallback'];
  let queryVector: Float32Array | undefined;
  const notes: string[] = [];
  if (requested !== 'lexical') {
    const { unavailable, notes: vectorNotes } = await deps.vectors.status();
    if (unavailable === undefined) {
      try {
        queryVector = await deps.vectors.embedQuery(request.query, request.signal);
      } catch (error) {
        if (request.signal?.aborted) throw error;
        fallback = { from: requested, reason: `the embeddings endpoint failed, so this answer is lexical: ${(error as Error).message}` };
      }
    } else {
      fallback = { from: requested, reason: unavailable };
    }
    if (fallback) mode = 'lexical';
    else notes.push(...vectorNotes);
  }

  const candidates = new Map<number, Candidate>();
  if (mode !== 'vector') {
    for (const hit of await lexicalSearch(deps.sql, request.query, k)) candidates.set(hit.chunk.id, { chunk: hit.chunk, text: hit.score, vector: 0 });
  }
  let vectorBackend: SearchResponse['vector_backend'];
  if (queryVector) {
    const found = await deps.vectors.search(queryVector, k);
    vectorBackend = found.via;
    if (found.note) notes.push(found.note);
    const unseen = found.hits.filter((hit) => !candidates.has(hit.id)).map((hit) => hit.id);
    const loaded = new Map((await deps.chunks.chunksByIds(unseen)).map((chunk) => [chunk.id, chunk]));
    for (const hit of found.hits) {
      const candidate = candidates.get(hit.id) ?? (loaded.has(hit.id) ? { chunk: loaded.get(hit.id)!, text: 0, vector: 0 } : undefined);
      if (!candidate) continue;
      candidate.vector = Math.max(0, hit.similarity);
      candidates.set(hit.id, candidate);
    }
  }

  const weights = settings.vectorWeight + settings.textWeight;
  // Today in the agent's zone costs a time-zone conversion; only decay needs it.
  const today = settings.temporalDecay.enabled ? deps.today() : '';
  const halfLifeDays = settings.temporalDecay.halfLifeMs / DAY_MS;
  const ranked = [...candidates.values()]
    .filter((c) => !request.exclude?.(c.chunk))
    .map((c) => {
      const base = mode === 'lexical' ? c.text : mode === 'vector' ? c.vector : (settings.vectorWeight * c.vector + settings.textWeight * c.text) / weights;
      const decay = settings.temporalDecay.enabled ? decayFactor(c.chunk.fileDate, c.chunk.evergreen, today, halfLifeDays) : 1;
      return { chunk: c.chunk, score: base * decay };
    })
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || compare(a.chunk.path, b.chunk.path) || a.chunk.startLine - b.chunk.startLine);

  const chosen = settings.mmr.enabled
    ? mmrSelect(ranked.map((c) => ({ score: c.score, terms: termSet(c.chunk.text) })), maxResults, settings.mmr.lambda).map((i) => ranked[i]!)
    : ranked.slice(0, maxResults);
  const terms = queryTerms(request.query);
  return {
    mode,
    ...(fallback ? { fallback } : {}),
    ...(vectorBackend ? { vector_backend: vectorBackend } : {}),
    ...(notes.length > 0 ? { notes } : {}),
    results: chosen.map(({ chunk, score }) => ({ path: chunk.path, start_line: chunk.startLine, end_line: chunk.endLine, snippet: snippetOf(chunk.text, terms, settings.snippetMaxChars), score: Math.round(score * 1e6) / 1e6 })),
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
