/** The SQL stores shared by storage-sqlite and storage-postgres: kysely queries over a `SqlBackend`. */
export type {
  AgentsTable,
  ApiKeysTable,
  ChannelConnectionsTable,
  ChannelPairingsTable,
  CountColumn,
  Database,
  InboundReceiptsTable,
  JsonColumn,
  MessagesTable,
  NexusSafeguardsTable,
  SchemaMigrationsLockTable,
  SchemaMigrationsTable,
  SessionsTable,
  TimeColumn,
  UserIdentitiesTable,
  UsersTable,
} from './schema.js';
export { fromCount, fromTime, isMissingTable, isUniqueViolation, toFlag, toTime, type SqlBackend, type SqlDialect } from './sql-backend.js';
export { createSqlStores } from './sql-stores.js';
/** The append INSERT the session store runs, for benchmarks that compare it with the bare statement. */
export { appendTemplate, type AppendValue } from './append-query.js';
export type { QueryTemplate } from './query-template.js';
export { numberedPlaceholders, sqlDatabase } from './sql-client.js';
export { GuardedDialect } from './guarded-dialect.js';
export { postgresQueryBuilder, sqliteQueryBuilder, type PostgresPool, type SqliteDatabase, type SqliteStatement } from './kysely.js';
export { classifyDriverError } from './unavailable-errors.js';
export { SqlSafeguardStore } from './sql-safeguard-store.js';
export { createIfMissing, deleteSafeguard, ensureSafeguardTable, readSafeguards, SAFEGUARD_ROWS, writeSafeguard, type SafeguardRow } from './safeguard-table.js';
