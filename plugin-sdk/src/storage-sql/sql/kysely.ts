/**
 * The query builder and the dialects a `SqlBackend` is made of, from the SDK's own copy of
 * kysely: the stores build their queries with this copy, so a backend that imported kysely itself
 * would load a second one (about 200 KB more for `nexus serve` to compile before it is ready).
 */
export { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
