import { durationMs } from '@nexus/plugin-sdk/storage';
import { defineSqlStoragePlugin } from '@nexus/plugin-sdk/storage-sql';
import { openPostgres } from './postgres-backend.js';

export { openPostgres, type PostgresOptions } from './postgres-backend.js';

/**
 * The storage slot occupant for `database.url: postgres://…` (PostgreSQL or CockroachDB). It does
 * not migrate by itself unless database.auto_migrate is true: replicas of a gateway should not race
 * to change a shared schema at startup, so the operator runs `nexus migrate up`, and until then
 * the stores refuse to serve and name the pending migrations.
 */
export default defineSqlStoragePlugin({
  autoMigrateByDefault: false,
  open(settings, logger) {
    return openPostgres({ url: settings.url, maxConnections: settings.max_connections, connMaxLifetimeMs: durationMs(settings.conn_max_lifetime, 'database.conn_max_lifetime'), logger });
  },
});
