export { ChunkStore, type FileVersion, type ReplaceOutcome, type StoredChunk, type StoredFile } from './chunk-store.js';
export { deleteMeta, META, readMeta, writeMeta } from './index-meta.js';
export { bm25RankToScore, lexicalSearch, queryTerms, type LexicalHit } from './lexical-search.js';
export { VectorStore, type VectorBackend, type VectorHit, type VectorMismatch, type VectorSearch } from './vector-store.js';
