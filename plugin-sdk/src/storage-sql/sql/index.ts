/** The SQL stores shared by storage-sqlite and storage-postgres: kysely queries over a `SqlBackend`. */
export type { Database } from './schema.js';
export { fromCount, fromTime, isUniqueViolation, toTime, type SqlBackend, type SqlDialect } from './sql-backend.js';
export { createSqlStores } from './sql-stores.js';
export { numberedPlaceholders, sqlDatabase } from './sql-client.js';
