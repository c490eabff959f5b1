import { defineSqlStoragePlugin } from '@nexus/plugin-sdk/storage-sql';
import { durationMs, sqliteFile } from '@nexus/plugin-sdk/storage';
import { openSqlite } from './sqlite-backend.js';

export { openSqlite, type SqliteOptions } from './sqlite-backend.js';
export { betterSqlite3 } from './sqlite-driver.js';

/**
 * The default storage slot occupant: one SQLite file under $NEXUS_HOME/data, migrated before its
 * stores are first used (unless database.auto_migrate is false, or `nexus migrate down` paused it).
 */
export default defineSqlStoragePlugin({
  autoMigrateByDefault: true,
  async open(settings, logger, home) {
    if (settings.url !== '') {
      // The slot falls back to SQLite for any url no other storage plugin claims.
      throw new Error(`database.url "${settings.url.split(':')[0]}:…" names no database Nexus supports; use postgres://… for PostgreSQL or CockroachDB, memory for in-memory, or leave it empty for SQLite`);
    }
    return openSqlite({ file: sqliteFile(settings, home), busyTimeoutMs: durationMs(settings.busy_timeout, 'database.busy_timeout'), synchronous: settings.synchronous, logger });
  },
});
