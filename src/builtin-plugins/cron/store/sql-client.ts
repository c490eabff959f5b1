/**
 * A plugin's access to the configured SQL database (SQLite or PostgreSQL): the port of SDK 1.0
 * that the storage occupant's service will implement. The engine needs nothing more.
 */
export interface SqlClient {
  readonly dialect: 'sqlite' | 'postgres';
  /** Rows of a query. Placeholders are `?` in both dialects (the PostgreSQL client rewrites them to $1…$n). */
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** A statement without rows; `changes` is the number of rows it touched. */
  run(sql: string, params?: readonly unknown[]): Promise<{ readonly changes: number }>;
  /** Runs `fn` in one transaction (BEGIN IMMEDIATE on SQLite), committing if it resolves. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** SQLite only: loads a run-time extension such as sqlite-vec. Undefined on PostgreSQL. */
  readonly loadExtension?: (path: string) => void;
}

/**
 * Whether a statement failed on a unique constraint. The engine relies on the database refusing a
 * second running (or queued) run of a job; drivers say so with SQLite's `SQLITE_CONSTRAINT_*`
 * codes or PostgreSQL's SQLSTATE 23505, which the port must pass through as `code`.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  return /UNIQUE constraint failed|duplicate key value violates unique constraint/.test((error as Error | null)?.message ?? '');
}

/** A BIGINT column as a number: node-postgres returns int8 as a string. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function toOptionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : toNumber(value);
}
