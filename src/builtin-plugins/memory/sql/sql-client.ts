/**
 * A plugin's access to the configured SQL database (SQLite or PostgreSQL): the port of the
 * plugin SDK 1.0 (`@nexus/plugin-sdk`, "the SQL port"). Declared here until the SDK exports it;
 * the shape is the SDK's, so the storage plugin's service satisfies it unchanged.
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
