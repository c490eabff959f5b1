import { createToken } from './tokens.js';

/** SQL for both dialects, or one string both accept. */
export type DialectSql = string | { readonly sqlite: string; readonly postgres: string };

/**
 * One schema change. SQL is data, not code, so its checksum can prove that an applied
 * migration was not edited afterwards. Statements are separated by `;` at line ends.
 */
export interface SqlMigration {
  /** Orders migrations within their namespace, e.g. `0001_sessions`: letters, digits, `_`, `-` and `.`. */
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
  /** Applied migrations whose SQL changed since they ran (`checksum` is the recorded one). */
  readonly tampered: readonly MigrationInfo[];
  /** Applied migrations no enabled plugin contributes any more (a plugin was disabled or removed). */
  readonly unknown: readonly MigrationInfo[];
}

/** Runs the active store's migrations; provided by the storage slot's occupant. */
export interface StorageMigrator {
  readonly dialect: 'sqlite' | 'postgres' | 'memory';
  /** Where the data lives, for messages, with any password removed: a file path or a URL. */
  readonly location: string;
  status(): Promise<MigrationStatus>;
  /** Applies up to `count` pending migrations (all when absent); returns what ran. */
  up(count?: number): Promise<readonly MigrationInfo[]>;
  /** Reverts the last `count` applied migrations (1 when absent); returns what ran. */
  down(count?: number): Promise<readonly MigrationInfo[]>;
}

/**
 * Why migrating, or using a schema, cannot go on. `pending`: the schema is behind (run
 * `nexus migrate up`); `tampered`: an applied migration was edited; `missing`: `down` would revert
 * a migration no plugin contributes any more; `invalid`: a contributed set is malformed;
 * `failed`: a migration's SQL failed (its transaction was rolled back).
 */
export class MigrationError extends Error {
  constructor(
    readonly code: 'pending' | 'tampered' | 'missing' | 'invalid' | 'failed',
    message: string,
    /** The migrations concerned, as `<namespace>/<id>`. */
    readonly migrations: readonly string[] = [],
  ) {
    super(message);
    this.name = 'MigrationError';
  }
}

export const Migrations = createToken<MigrationSet>('nexus.contrib.migrations');
export const StorageMigratorToken = createToken<StorageMigrator>('nexus.store.migrator');
