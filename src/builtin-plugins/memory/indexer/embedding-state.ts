import type { Clock } from '@nexus/plugin-sdk';
import { embedderKey, type CachedEmbedder } from '../embeddings/index.js';
import { META, readMeta, writeMeta } from '../index-store/index.js';
import type { SqlClient } from '../sql/index.js';

/** After a failure, vector search is not tried again for this long: a dead endpoint must not slow every search. */
const RETRY_AFTER_FAILURE_MS = 30_000;

export type EmbedderState = 'none' | 'ready' | 'failing' | 'paused';

/**
 * Whether vectors can be used right now, and why not: no embedder configured; the stored vectors
 * came from another model (or size), which pauses vector search until a forced re-index; or the
 * endpoint failed a moment ago.
 */
export class EmbeddingState {
  private lastFailure: { at: number; message: string } | undefined;

  constructor(
    private readonly sql: SqlClient,
    readonly embedder: CachedEmbedder | undefined,
    private readonly clock: Clock,
  ) {}

  get key(): string | undefined {
    return this.embedder ? embedderKey(this.embedder) : undefined;
  }

  /** The key the stored vectors belong to, if any are stored. */
  async storedKey(): Promise<string | undefined> {
    return readMeta(this.sql, META.embeddingModel);
  }

  /** Why the stored vectors cannot be used with the configured embedder; undefined when they can. */
  async pausedReason(): Promise<string | undefined> {
    const key = this.key;
    if (key === undefined) return undefined;
    const stored = await this.storedKey();
    if (stored === undefined || stored === key) return undefined;
    return `vector search is paused: the stored vectors came from ${describe(stored)}, but memory.embeddings now names ${describe(key)}; run \`nexus memory index --force\` to embed everything again`;
  }

  /** Records the configured embedder as the owner of the vectors (there are none, or a forced re-index cleared them). */
  async adopt(tx: SqlClient): Promise<void> {
    if (this.key !== undefined) await writeMeta(tx, META.embeddingModel, this.key);
  }

  failed(error: unknown): void {
    this.lastFailure = { at: this.clock.now(), message: (error as Error).message };
  }

  succeeded(): void {
    this.lastFailure = undefined;
  }

  /** A recent failure, while its cool-down lasts. */
  recentFailure(): string | undefined {
    if (!this.lastFailure) return undefined;
    const age = this.clock.now() - this.lastFailure.at;
    if (age >= RETRY_AFTER_FAILURE_MS) return undefined;
    return `the embeddings endpoint failed ${Math.round(age / 1000)} s ago (${this.lastFailure.message}); it is tried again ${Math.round((RETRY_AFTER_FAILURE_MS - age) / 1000)} s after that failure`;
  }

  get lastError(): string | undefined {
    return this.lastFailure?.message;
  }

  async state(): Promise<EmbedderState> {
    if (!this.embedder) return 'none';
    if (await this.pausedReason()) return 'paused';
    return this.lastFailure ? 'failing' : 'ready';
  }
}

function describe(key: string): string {
  const [provider, model, dims] = key.split('|');
  return `${model} (${dims === 'default' ? 'its own size' : `${dims} dimensions`}) at ${provider?.replace(/^openai-compatible:/, '')}`;
}
