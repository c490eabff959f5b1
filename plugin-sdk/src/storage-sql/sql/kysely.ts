import { Kysely, PostgresDialect, SqliteDialect, type PostgresPool, type SqliteDatabase } from 'kysely';
import type { Logger } from '../../contracts/index.js';
import type { Database } from './schema.js';
import { GuardedDialect } from './guarded-dialect.js';

export type { PostgresPool, SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * The query builder of a SQLite `SqlBackend`, over an open better-sqlite3-like database, with
 * driver errors classified (`GuardedDialect`). Built from the SDK's own copy of kysely: the stores
 * build their queries with this copy, so a backend that imported kysely itself would load a second
 * one (about 200 KB more for `nexus serve` to compile before it is ready).
 */
export function sqliteQueryBuilder(database: SqliteDatabase, logger?: Logger): Kysely<Database> {
  return new Kysely<Database>({ dialect: new GuardedDialect(new SqliteDialect({ database }), 'sqlite', logger) });
}

/** The query builder of a PostgreSQL `SqlBackend`, over a `pg` pool; see `sqliteQueryBuilder`. */
export function postgresQueryBuilder(pool: PostgresPool, logger?: Logger): Kysely<Database> {
  return new Kysely<Database>({ dialect: new GuardedDialect(new PostgresDialect({ pool }), 'postgres', logger) });
}
