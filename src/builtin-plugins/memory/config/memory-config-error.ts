/**
 * A memory setting that the schema accepts but that cannot work (an unknown time zone, an
 * overlap as large as the chunk). Says where (`pointer`, a JSON pointer into the config file)
 * and how to fix it.
 */
export class MemoryConfigError extends Error {
  constructor(
    readonly pointer: string,
    readonly problem: string,
    readonly hint: string,
  ) {
    super(`${pointer}: ${problem}; ${hint}`);
    this.name = 'MemoryConfigError';
  }
}
