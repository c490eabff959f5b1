export { MemoryPathError } from './memory-path-error.js';
export { isInside, MemoryPaths, type MemoryFile, type MemoryFileKind, type MemoryPathsOptions } from './memory-paths.js';
