export { EmbeddingState, type EmbedderState } from './embedding-state.js';
export { indexMemory, type IndexerDeps, type IndexOptions, type IndexProgress, type IndexReport } from './memory-indexer.js';
export { MemoryWatcher, realScheduler, type Scheduler, type WatcherOptions } from './memory-watcher.js';
