import type { SearchMode } from '../config/index.js';
import type { EmbedderState, IndexReport } from '../indexer/index.js';

/** What `memory stats` and the memory doctor check show. */
export interface MemoryStats {
  readonly files: number;
  readonly chunks: number;
  /** Stored chunk embeddings. */
  readonly vectors: number;
  /** Rows in the sqlite-vec table, when there is one. */
  readonly vector_rows?: number;
  readonly vector_backend: 'sqlite-vec' | 'exact';
  /** Why vectors are compared in process rather than by sqlite-vec. */
  readonly vector_backend_reason?: string;
  /** The modes a search can answer in right now. */
  readonly modes: readonly SearchMode[];
  /** Ways the index disagrees with itself: the peer's "1 vector row for thousands of chunks". */
  readonly mismatches: readonly { readonly kind: 'vec-rows' | 'vectors-missing'; readonly message: string }[];
  readonly embedder: {
    readonly state: EmbedderState;
    readonly provider?: string;
    readonly model?: string;
    readonly dimensions?: number;
    /** HTTP requests made since start, retries included. */
    readonly requests?: number;
    readonly last_error?: string;
    readonly paused?: string;
  };
  readonly cache: { readonly entries: number; readonly hits: number; readonly misses: number };
  /** Searches since start by the mode that answered, and how many fell back. */
  readonly searches: { readonly lexical: number; readonly vector: number; readonly hybrid: number; readonly fallbacks: number };
  readonly last_index?: IndexReport;
}
