import type { Embedder, EmbeddingInputType } from './embedder.js';
import { textHash, type EmbeddingCache } from './embedding-cache.js';

/**
 * An embedder that asks the database first: only texts with no fresh cached vector go to the
 * endpoint, each distinct text once, and what comes back is cached.
 */
export class CachedEmbedder implements Embedder {
  readonly provider: string;
  readonly model: string;
  readonly dimensions: number | undefined;

  constructor(
    private readonly inner: Embedder,
    readonly cache: EmbeddingCache,
  ) {
    this.provider = inner.provider;
    this.model = inner.model;
    this.dimensions = inner.dimensions;
  }

  async embed(texts: readonly string[], inputType: EmbeddingInputType, signal?: AbortSignal): Promise<Float32Array[]> {
    const identity = { provider: this.provider, model: this.model, dims: this.dimensions ?? 0, inputType };
    const hashes = texts.map(textHash);
    const cached = await this.cache.get(identity, hashes);
    const missing = new Map<string, string>();
    hashes.forEach((hash, i) => {
      if (!cached.has(hash) && !missing.has(hash)) missing.set(hash, texts[i]!);
    });
    if (missing.size > 0) {
      const fresh = await this.inner.embed([...missing.values()], inputType, signal);
      const entries = [...missing.keys()].map((hash, i) => ({ hash, vector: fresh[i]! }));
      for (const entry of entries) cached.set(entry.hash, entry.vector);
      await this.cache.put(identity, entries);
    }
    return hashes.map((hash) => cached.get(hash)!);
  }
}
