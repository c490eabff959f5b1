/** A path memory_get or memory_write refuses, with what to do instead. */
export class MemoryPathError extends Error {
  constructor(
    readonly code: 'invalid' | 'absolute' | 'traversal' | 'outside' | 'not-markdown' | 'symlink' | 'missing' | 'private',
    message: string,
  ) {
    super(message);
    this.name = 'MemoryPathError';
  }
}
