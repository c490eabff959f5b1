import { createHash } from 'node:crypto';
import type { Clock } from '@nexus/plugin-sdk';
import type { SqlClient } from '../sql/index.js';
import type { EmbeddingInputType } from './embedder.js';
import { decodeVector, encodeVector } from './vector-codec.js';

/** What a cached vector is tied to, besides its text. */
export interface CacheIdentity {
  readonly provider: string;
  readonly model: string;
  /** The dimensions asked for; 0 for the model's own. */
  readonly dims: number;
  readonly inputType: EmbeddingInputType;
}

export interface EmbeddingCacheOptions {
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly clock: Clock;
}

const IN_BATCH = 400;
/** A hit refreshes its last-use time at most this often, so a search is not a write. */
const TOUCH_AFTER_MS = 3_600_000;

export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Embeddings in the database, keyed by (provider, model, dimensions, input type, text hash). An
 * entry older than the TTL is a miss and is replaced; past `maxEntries`, the least recently used
 * go. Counts its hits and misses for `memory stats`.
 */
export class EmbeddingCache {
  hits = 0;
  misses = 0;

  constructor(
    private readonly sql: SqlClient,
    private readonly options: EmbeddingCacheOptions,
  ) {}

  /** The fresh cached vectors among `hashes`. */
  async get(identity: CacheIdentity, hashes: readonly string[]): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>();
    const now = this.options.clock.now();
    const stale: string[] = [];
    for (let i = 0; i < hashes.length; i += IN_BATCH) {
      const batch = hashes.slice(i, i + IN_BATCH);
      const rows = await this.sql.all<{ text_hash: string; vector: Uint8Array; created_at: number | string; used_at: number | string }>(
        `SELECT text_hash, vector, created_at, used_at FROM memory_embedding_cache WHERE provider = ? AND model = ? AND dims = ? AND input_type = ? AND text_hash IN (${batch.map(() => '?').join(', ')})`,
        [identity.provider, identity.model, identity.dims, identity.inputType, ...batch],
      );
      for (const row of rows) {
        if (now - Number(row.created_at) >= this.options.ttlMs) continue;
        found.set(row.text_hash, decodeVector(row.vector));
        if (now - Number(row.used_at) >= TOUCH_AFTER_MS) stale.push(row.text_hash);
      }
    }
    const distinct = new Set(hashes).size;
    this.hits += found.size;
    this.misses += distinct - found.size;
    for (let i = 0; i < stale.length; i += IN_BATCH) {
      const batch = stale.slice(i, i + IN_BATCH);
      await this.sql.run(
        `UPDATE memory_embedding_cache SET used_at = ? WHERE provider = ? AND model = ? AND dims = ? AND input_type = ? AND text_hash IN (${batch.map(() => '?').join(', ')})`,
        [now, identity.provider, identity.model, identity.dims, identity.inputType, ...batch],
      );
    }
    return found;
  }

  async put(identity: CacheIdentity, entries: readonly { readonly hash: string; readonly vector: Float32Array }[]): Promise<void> {
    if (entries.length === 0) return;
    const now = this.options.clock.now();
    await this.sql.transaction(async (tx) => {
      for (const entry of entries) {
        await tx.run(
          `INSERT INTO memory_embedding_cache (provider, model, dims, input_type, text_hash, vector, created_at, used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (provider, model, dims, input_type, text_hash) DO UPDATE SET vector = excluded.vector, created_at = excluded.created_at, used_at = excluded.used_at`,
          [identity.provider, identity.model, identity.dims, identity.inputType, entry.hash, encodeVector(entry.vector), now, now],
        );
      }
    });
    await this.prune();
  }

  /** Drops expired entries, then the least recently used beyond `maxEntries`. */
  async prune(): Promise<void> {
    const now = this.options.clock.now();
    await this.sql.run('DELETE FROM memory_embedding_cache WHERE created_at <= ?', [now - this.options.ttlMs]);
    const excess = (await this.entries()) - this.options.maxEntries;
    if (excess <= 0) return;
    const [cut] = await this.sql.all<{ used_at: number | string }>('SELECT used_at FROM memory_embedding_cache ORDER BY used_at LIMIT 1 OFFSET ?', [excess - 1]);
    if (cut) await this.sql.run('DELETE FROM memory_embedding_cache WHERE used_at <= ?', [Number(cut.used_at)]);
  }

  async entries(): Promise<number> {
    const [row] = await this.sql.all<{ n: number | string }>('SELECT COUNT(*) AS n FROM memory_embedding_cache');
    return Number(row?.n ?? 0);
  }
}
