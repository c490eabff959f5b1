import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type SqlDialect = 'sqlite' | 'postgres';

/**
 * One open database, whatever the engine: the kysely handle plus the few things that differ by
 * dialect. Created by the storage-sqlite and storage-postgres plugins; closed by them.
 */
export interface SqlBackend {
  readonly dialect: SqlDialect;
  readonly db: Kysely<Database>;
  /** The file or URL (password removed), for messages. */
  readonly location: string;
  /** SQLite only: loads a run-time extension into the connection (for the `SqlDatabase` service). */
  readonly loadExtension?: (path: string) => void;
  close(): Promise<void>;
}

/** A UTC millisecond timestamp as the dialect's column takes it. */
export function toTime(dialect: SqlDialect, ms: number): Date | number {
  return dialect === 'postgres' ? new Date(ms) : ms;
}

export function fromTime(value: Date | number | string): number {
  return value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
}

export function fromCount(value: number | string): number {
  return typeof value === 'number' ? value : Number(value);
}

/** A unique or primary key violation: PostgreSQL and CockroachDB say 23505, SQLite SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
