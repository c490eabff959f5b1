export { CachedEmbedder } from './cached-embedder.js';
export { embedderKey, type Embedder, type EmbeddingInputType } from './embedder.js';
export { EmbeddingCache, textHash, type CacheIdentity, type EmbeddingCacheOptions } from './embedding-cache.js';
export { EmbeddingError } from './embedding-error.js';
export { OpenAiCompatibleEmbedder, type OpenAiCompatibleOptions } from './openai-compatible-embedder.js';
export { cosineSimilarity, decodeVector, encodeVector, normalized } from './vector-codec.js';
