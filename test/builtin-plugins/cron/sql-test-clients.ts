import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { CRON_MIGRATIONS, type SqlClient } from '../../../src/builtin-plugins/cron/store/index.js';

const require = createRequire(import.meta.url);

/** The better-sqlite3 build for this Node, as storage-sqlite picks it (12 on Node 20, 13 from Node 22). */
function sqliteDriver(): typeof BetterSqlite3 {
  return require(Number(process.versions.node.split('.')[0]) >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3') as typeof BetterSqlite3;
}

/** A SqlClient with `close()`, for tests. */
export interface TestSqlClient extends SqlClient {
  close(): Promise<void>;
}

/**
 * Serializes the statements of every connection to one SQLite file in this process. better-sqlite3
 * is synchronous: a statement that waits for another connection's transaction would block the
 * event loop that transaction needs to finish. Processes (the real multi-replica case) need no
 * such thing: SQLite's busy timeout makes them wait.
 */
const fileLocks = new Map<string, Promise<unknown>>();

function serialized<T>(file: string, work: () => Promise<T> | T): Promise<T> {
  const previous = fileLocks.get(file) ?? Promise.resolve();
  const next = previous.then(work, work);
  fileLocks.set(
    file,
    next.catch(() => undefined),
  );
  return next;
}

function sqliteParams(params: readonly unknown[] | undefined): unknown[] {
  return (params ?? []).map((value) => (value === undefined ? null : typeof value === 'boolean' ? (value ? 1 : 0) : value));
}

/** A connection of its own to a SQLite file (WAL, busy timeout), as one process of several would have. */
export function openSqliteClient(file: string): TestSqlClient {
  const Database = sqliteDriver();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  const run = (sql: string, params?: readonly unknown[]) => {
    const statement = db.prepare(sql);
    return statement.reader ? { rows: statement.all(...sqliteParams(params)) as Record<string, unknown>[], changes: 0 } : { rows: [], changes: statement.run(...sqliteParams(params)).changes };
  };
  let inTransaction = false;
  const client = (locked: boolean): TestSqlClient => ({
    dialect: 'sqlite',
    all: <T>(sql: string, params?: readonly unknown[]) => (locked ? Promise.resolve(run(sql, params).rows as T[]) : serialized(file, () => run(sql, params).rows as T[])),
    run: (sql, params) => (locked ? Promise.resolve({ changes: run(sql, params).changes }) : serialized(file, () => ({ changes: run(sql, params).changes }))),
    transaction: <T>(fn: (tx: SqlClient) => Promise<T>) => {
      if (locked || inTransaction) throw new Error('nested transactions are not supported');
      return serialized(file, async () => {
        inTransaction = true;
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(client(true));
          db.exec('COMMIT');
          return result;
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        } finally {
          inTransaction = false;
        }
      });
    },
    loadExtension: (path) => db.loadExtension(path),
    close: async () => {
      await serialized(file, () => db.close());
    },
  });
  return client(false);
}

/** `?` placeholders to `$1…$n` (the cron statements have no `?` inside string literals). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** A pool of its own on a PostgreSQL database, as one replica would have. */
export function openPostgresClient(url: string): TestSqlClient {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const over = (query: (text: string, values: unknown[]) => Promise<pg.QueryResult>): Omit<TestSqlClient, 'transaction' | 'close'> => ({
    dialect: 'postgres',
    all: async <T>(sql: string, params?: readonly unknown[]) => (await query(numbered(sql), [...(params ?? [])])).rows as T[],
    run: async (sql, params) => ({ changes: (await query(numbered(sql), [...(params ?? [])])).rowCount ?? 0 }),
  });
  return {
    ...over((text, values) => pool.query(text, values)),
    transaction: async <T>(fn: (tx: SqlClient) => Promise<T>) => {
      const connection = await pool.connect();
      try {
        await connection.query('BEGIN');
        const tx: SqlClient = {
          ...over((text, values) => connection.query(text, values)),
          transaction: () => Promise.reject(new Error('nested transactions are not supported')),
        };
        const result = await fn(tx);
        await connection.query('COMMIT');
        return result;
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        connection.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Statements split as the host's migrator splits them: at a `;` that ends a line. */
export function statementsOf(sql: string): string[] {
  return sql
    .split(/;[ \t]*(?:\n|$)/)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk !== '');
}

/** Applies (or reverts) the cron migrations, as `nexus migrate` will. */
export async function migrateCron(db: SqlClient, direction: 'up' | 'down' = 'up'): Promise<void> {
  const migrations = direction === 'up' ? CRON_MIGRATIONS : [...CRON_MIGRATIONS].reverse();
  await db.transaction(async (tx) => {
    for (const migration of migrations) {
      const sql = migration[direction];
      for (const statement of statementsOf(typeof sql === 'string' ? sql : sql[db.dialect])) await tx.run(statement);
    }
  });
}
