import { createToken } from './tokens.js';

/** SQL for both dialects, or one string both accept. */
export type DialectSql = string | { readonly sqlite: string; readonly postgres: string };

/**
 * One schema change. SQL is data, not code, so its checksum can prove that an applied
 * migration was not edited afterwards. Statements are separated by `;` at line ends.
 */
export interface SqlMigration {
  /** Orders migrations within their namespace, e.g. `0001_sessions`. */
  readonly id: string;
  readonly up: DialectSql;
  readonly down: DialectSql;
}

/**
 * A plugin's migrations, contributed under its plugin id (`ctx.contribute(Migrations, pluginId)`)
 * and declared in `contributes.migrations`. Tables should carry the plugin id as a prefix.
 */
export interface MigrationSet {
  readonly migrations: readonly SqlMigration[];
}

export interface MigrationInfo {
  /** `<namespace>/<id>`, e.g. `core/0001_sessions`, `cron/0001_jobs`. */
  readonly name: string;
  readonly appliedAt?: number;
  readonly checksum: string;
}

export interface MigrationStatus {
  readonly applied: readonly MigrationInfo[];
  readonly pending: readonly MigrationInfo[];
  /** Applied migrations whose SQL changed since they ran. */
  readonly tampered: readonly MigrationInfo[];
}

/** Runs the active store's migrations; provided by the storage slot's occupant. */
export interface StorageMigrator {
  readonly dialect: 'sqlite' | 'postgres' | 'memory';
  status(): Promise<MigrationStatus>;
  /** Applies up to `count` pending migrations (all when absent); returns what ran. */
  up(count?: number): Promise<readonly MigrationInfo[]>;
  /** Reverts the last `count` applied migrations (1 when absent); returns what ran. */
  down(count?: number): Promise<readonly MigrationInfo[]>;
}

export const Migrations = createToken<MigrationSet>('nexus.contrib.migrations');
export const StorageMigratorToken = createToken<StorageMigrator>('nexus.store.migrator');
