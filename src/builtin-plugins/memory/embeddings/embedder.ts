/** `document` for text being indexed, `query` for a search; some models embed the two differently. */
export type EmbeddingInputType = 'document' | 'query';

/** Turns texts into vectors. One per configured provider; the cache wraps it. */
export interface Embedder {
  /** Identifies the endpoint: `openai-compatible:<base URL without credentials>`. */
  readonly provider: string;
  readonly model: string;
  /** The size asked for; undefined means the model's own. */
  readonly dimensions: number | undefined;
  /** One vector per text, in order. Throws EmbeddingError. */
  embed(texts: readonly string[], inputType: EmbeddingInputType, signal?: AbortSignal): Promise<Float32Array[]>;
}

/** What stored vectors are tied to: a change of any part pauses vector search until a forced re-index. */
export function embedderKey(embedder: Pick<Embedder, 'provider' | 'model' | 'dimensions'>): string {
  return `${embedder.provider}|${embedder.model}|${embedder.dimensions ?? 'default'}`;
}
