/** The SDK's port to the configured SQL database (`nexus.store.sql`): all the engine needs. */
export type { SqlClient } from '@nexus/plugin-sdk';

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
