import { CompiledQuery, type Kysely } from 'kysely';
import type { SqlClient, SqlDatabase } from '../../contracts/index.js';
import type { SqlBackend } from './sql-backend.js';

/**
 * The `SqlDatabase` service over an open backend: plain SQL with `?` placeholders, run through
 * the backend's own kysely driver, so plugins share its connections (and, on SQLite, its
 * BEGIN IMMEDIATE transactions and statement cache).
 */
export function sqlDatabase(backend: SqlBackend): SqlDatabase {
  return { ...clientOver(backend, backend.db as Kysely<unknown>, false), location: backend.location };
}

function clientOver(backend: SqlBackend, db: Kysely<unknown>, inTransaction: boolean): SqlClient {
  const compile = (text: string, params: readonly unknown[]) => CompiledQuery.raw(backend.dialect === 'postgres' ? numberedPlaceholders(text) : text, [...params]);
  const client: SqlClient = {
    dialect: backend.dialect,
    async all<T>(text: string, params: readonly unknown[] = []): Promise<T[]> {
      return (await db.executeQuery<T>(compile(text, params))).rows as T[];
    },
    async run(text, params = []) {
      const result = await db.executeQuery(compile(text, params));
      return { changes: Number(result.numAffectedRows ?? 0n) };
    },
    // A transaction inside a transaction joins it: neither engine nests them without savepoints.
    transaction: (fn) => (inTransaction ? fn(client) : db.transaction().execute((trx) => fn(clientOver(backend, trx, true)))),
    ...(backend.loadExtension ? { loadExtension: backend.loadExtension } : {}),
  };
  return client;
}

/**
 * `?` → `$1`, `$2`, … outside quoted strings, identifiers and comments, for PostgreSQL. (So
 * PostgreSQL's own `?` operators on jsonb cannot be written here; use `jsonb_exists()` and friends.)
 */
export function numberedPlaceholders(text: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      const stop = end === -1 ? text.length : end + 1;
      out += text.slice(i, stop);
      i = stop - 1;
    } else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out += text.slice(i, stop);
      i = stop - 1;
    } else if (c === '?') {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  return out;
}
