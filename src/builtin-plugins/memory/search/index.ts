export { searchMemory, type SearchDeps, type SearchHit, type SearchRequest, type SearchResponse, type VectorSide } from './hybrid-search.js';
export { mmrSelect, termSet, type MmrCandidate } from './mmr.js';
export { snippetOf } from './snippet.js';
export { decayFactor } from './temporal-decay.js';
