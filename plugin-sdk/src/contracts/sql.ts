import { createToken } from './tokens.js';

/**
 * A plugin's access to the configured SQL database (SQLite or PostgreSQL), for plugins that keep
 * tables of their own: they create them with their own migrations (`contributes.migrations`,
 * `SqlMigration` with SQL per dialect), prefixed with the plugin id, and query them here. The
 * storage slot's SQL occupants provide it; with `database.url: memory` there is none.
 *
 * It reaches every table, the credentials' included, so it is a sensitive service: a plugin lists
 * `nexus.store.sql` under `permissions` in its manifest to resolve it.
 */
export interface SqlClient {
  readonly dialect: 'sqlite' | 'postgres';
  /** The rows of a query. Placeholders are `?` in both dialects (rewritten to $1…$n for PostgreSQL). */
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** A statement without rows; `changes` is the number of rows it touched. */
  run(sql: string, params?: readonly unknown[]): Promise<{ readonly changes: number }>;
  /** Runs `fn` in one transaction (BEGIN IMMEDIATE on SQLite), committing if it resolves and rolling back if it throws. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
  /** SQLite only: loads a run-time extension, such as sqlite-vec. Absent on PostgreSQL. */
  readonly loadExtension?: (path: string) => void;
}

export interface SqlDatabase extends SqlClient {
  /** Where the data lives, for messages: a file path, or a URL with the password removed. */
  readonly location: string;
}

export const SqlDatabaseToken = createToken<SqlDatabase>('nexus.store.sql');
