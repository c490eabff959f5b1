export { OPERATOR_ACCESS, type MemoryAccess } from './memory-access.js';
export { MemoryEngine, type MemoryEngineOptions, type SearchInput } from './memory-engine.js';
export { GET_MAX_CHARS, GET_MAX_LINES, getMemory, type GetInput, type GetResult } from './memory-get.js';
export type { MemoryStats } from './memory-stats.js';
export { isWorkspaceWritable, WRITE_MAX_CHARS, writeMemory, type WriteInput, type WriteReceipt } from './memory-write.js';
