export { chunkingKey, chunkMarkdown, CHUNKER_VERSION, type Chunk, type ChunkingOptions } from './markdown-chunker.js';
export { markdownBlocks, type Block, type Piece } from './markdown-blocks.js';
export { CHARS_PER_TOKEN, estimateTokens } from './token-estimate.js';
