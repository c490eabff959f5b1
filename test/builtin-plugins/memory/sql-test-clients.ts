import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { SqlMigration } from '@nexus/plugin-sdk';
import type { SqlClient } from '../../../src/builtin-plugins/memory/sql/index.js';
import { MEMORY_MIGRATIONS } from '../../../src/builtin-plugins/memory/sql/index.js';
import { splitStatements } from '../../../plugin-sdk/src/storage-sql/migrations/index.js';
import { betterSqlite3 } from '../../../src/builtin-plugins/storage-sqlite/sqlite-driver.js';

/** A SqlClient plus what a test needs to tear it down. Stand-ins for the storage plugin's SQL service until it lands. */
export interface TestSqlClient extends SqlClient {
  close(): Promise<void>;
}

/** Runs tasks one at a time: a transaction must not see another caller's statements interleaved. */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

/**
 * SQLite through better-sqlite3 (12 on Node 20, 13 on Node 22+): WAL, foreign keys on, prepared
 * statements cached, BEGIN IMMEDIATE transactions with savepoints for nesting. Calls are
 * serialised so an async transaction owns the connection until it ends.
 */
export function sqliteTestClient(file = ':memory:'): TestSqlClient & { readonly raw: BetterSqlite3.Database } {
  const Driver = betterSqlite3();
  const raw = new Driver(file, { timeout: 5_000 });
  if (file !== ':memory:') raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = raw.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const queue = new Queue();
  let depth = 0;
  const direct: SqlClient = {
    dialect: 'sqlite',
    all: async <T>(sql: string, params: readonly unknown[] = []) => {
      const statement = prepare(sql);
      if (statement.reader) return statement.all(...params) as T[];
      statement.run(...params);
      return [] as T[];
    },
    run: async (sql, params = []) => ({ changes: prepare(sql).run(...params).changes }),
    transaction: async (fn) => {
      const name = `sp${++depth}`;
      raw.exec(`SAVEPOINT ${name}`);
      try {
        const result = await fn(direct);
        raw.exec(`RELEASE ${name}`);
        return result;
      } catch (error) {
        raw.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
        throw error;
      } finally {
        depth--;
      }
    },
    loadExtension: (path) => void raw.loadExtension(path),
  };
  return {
    dialect: 'sqlite',
    raw,
    all: (sql, params) => queue.run(() => direct.all(sql, params)),
    run: (sql, params) => queue.run(() => direct.run(sql, params)),
    transaction: (fn) =>
      queue.run(async () => {
        raw.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(direct);
          raw.exec('COMMIT');
          return result;
        } catch (error) {
          if (raw.inTransaction) raw.exec('ROLLBACK');
          throw error;
        }
      }),
    loadExtension: direct.loadExtension,
    close: async () => {
      await queue.run(async () => undefined);
      raw.close();
    },
  };
}

/** `?` placeholders as `$1…$n`, outside quoted strings and identifiers. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  let quote: string | undefined;
  let out = '';
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  return out;
}

/** PostgreSQL through a pg pool; a transaction takes one connection of its own. */
export function postgresTestClient(url: string): TestSqlClient {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const on = (runner: pg.Pool | pg.PoolClient, inTransaction: boolean): SqlClient => {
    const client: SqlClient = {
      dialect: 'postgres',
      all: async <T>(sql: string, params: readonly unknown[] = []) => (await runner.query(numberPlaceholders(sql), [...params])).rows as T[],
      run: async (sql, params = []) => ({ changes: (await runner.query(numberPlaceholders(sql), [...params])).rowCount ?? 0 }),
      transaction: async (fn) => {
        if (inTransaction) {
          await runner.query('SAVEPOINT nested');
          try {
            const result = await fn(client);
            await runner.query('RELEASE SAVEPOINT nested');
            return result;
          } catch (error) {
            await runner.query('ROLLBACK TO SAVEPOINT nested');
            throw error;
          }
        }
        const connection = await pool.connect();
        try {
          await connection.query('BEGIN');
          const result = await fn(on(connection, true));
          await connection.query('COMMIT');
          return result;
        } catch (error) {
          await connection.query('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          connection.release();
        }
      },
    };
    return client;
  };
  return { ...on(pool, false), close: () => pool.end() };
}

/** Applies migrations the way the storage migrator does: statements split at a `;` ending a line, each migration in a transaction. */
export async function applyMigrations(sql: SqlClient, migrations: readonly SqlMigration[] = MEMORY_MIGRATIONS): Promise<void> {
  for (const migration of migrations) {
    const text = typeof migration.up === 'string' ? migration.up : migration.up[sql.dialect];
    await sql.transaction(async (tx) => {
      for (const statement of splitStatements(text)) await tx.run(statement);
    });
  }
}

/** Reverts migrations, newest first. */
export async function revertMigrations(sql: SqlClient, migrations: readonly SqlMigration[] = MEMORY_MIGRATIONS): Promise<void> {
  for (const migration of [...migrations].reverse()) {
    const text = typeof migration.down === 'string' ? migration.down : migration.down[sql.dialect];
    await sql.transaction(async (tx) => {
      for (const statement of splitStatements(text)) await tx.run(statement);
    });
  }
}
