import { MigrationError, type SqlDatabase, type Clock, type ContributionRegistry, type Logger, type MigrationInfo, type MigrationStatus, type SafeguardStore, type StorageMigrator } from '../../contracts/index.js';
import { Migrations } from '../../contracts/index.js';
import { planMigrations, SqlMigrator } from '../migrations/index.js';
import type { StoreSet } from '../../storage/index.js';
import { createSqlStores, SqlSafeguardStore, sqlDatabase, type SqlBackend } from '../sql/index.js';
import { migratingFirst } from './migrating-first.js';

/**
 * One open SQL database with its stores and migrator. Opening reads and never writes: a store that
 * migrates by itself (database.auto_migrate) does so before its first use, not when it opens, so
 * `nexus migrate status` and `nexus doctor` see the database as it is. While the schema is not
 * current and will not migrate by itself (auto-migration off or paused by `nexus migrate down`,
 * edited migrations, a failed migration), resolving a store fails with the reason, so the gateway
 * refuses to start and names the migrations; the migrator and the safeguards stay usable.
 */
export class OpenStorage {
  private problem: Error | undefined;
  /** The schema is behind and the stores will bring it up to date before their first use. */
  private deferred = false;
  private migrating: Promise<readonly MigrationInfo[]> | undefined;
  readonly migrator: StorageMigrator;
  /** Plain SQL for plugins with tables of their own; usable whatever the state of the core schema. */
  readonly sql: SqlDatabase;
  readonly safeguards: SafeguardStore;
  private readonly stores: StoreSet;
  private readonly waitingStores: StoreSet;

  private constructor(
    readonly backend: SqlBackend,
    private readonly inner: SqlMigrator,
    clock: Clock,
    private readonly logger: Logger,
    private readonly autoMigrates: boolean,
  ) {
    this.stores = createSqlStores(backend, clock);
    this.sql = sqlDatabase(backend);
    this.safeguards = new SqlSafeguardStore(backend);
    this.waitingStores = migratingFirst(this.stores, () => !this.deferred, () => this.autoMigrate());
    this.migrator = {
      dialect: inner.dialect,
      location: inner.location,
      status: () => inner.status(),
      autoMigrate: () => this.autoMigrate(),
      up: (count) => this.afterChange(() => inner.up(count)),
      down: (count) => this.afterChange(() => inner.down(count)),
      planDown: (count) => inner.planDown(count),
    };
  }

  static async open(backend: SqlBackend, options: { readonly clock: Clock; readonly contributions: ContributionRegistry; readonly logger: Logger; readonly autoMigrate: boolean }): Promise<OpenStorage> {
    const plan = async () => {
      const sets = await options.contributions.getAll(Migrations);
      // A plugin that failed to load is skipped (and reported as failed); say so here too, as its tables will be missing.
      const missing = options.contributions.names(Migrations).filter((name) => !sets.some((s) => s.name === name));
      if (missing.length > 0) options.logger.warn(`migrations of ${missing.join(', ')} are left out: the plugin could not be loaded (see \`nexus plugins list\`)`);
      return planMigrations(backend.dialect, sets);
    };
    const storage = new OpenStorage(backend, new SqlMigrator(backend, plan, () => options.clock.now()), options.clock, options.logger, options.autoMigrate);
    await storage.checkSchema();
    return storage;
  }

  /** The stores, or the reason they cannot be used yet. */
  current(): StoreSet {
    if (this.problem) throw this.problem;
    return this.deferred ? this.waitingStores : this.stores;
  }

  /** Applies what is pending when this store migrates by itself; once at a time, and nothing while paused. */
  private autoMigrate(): Promise<readonly MigrationInfo[]> {
    if (!this.autoMigrates) return Promise.resolve([]);
    this.migrating ??= this.runAutoMigration().finally(() => {
      this.migrating = undefined;
    });
    return this.migrating;
  }

  private async runAutoMigration(): Promise<readonly MigrationInfo[]> {
    if ((await this.inner.pausedSince()) !== undefined) {
      await this.checkSchema();
      return [];
    }
    let applied: readonly MigrationInfo[];
    try {
      applied = await this.inner.up();
    } catch (error) {
      this.deferred = false;
      this.problem = error as Error;
      this.logger.error(`migrating ${this.backend.location} failed: ${(error as Error).message}`);
      throw error;
    }
    if (applied.length > 0) this.logger.info(`applied ${applied.length} migration(s) to ${this.backend.location}`, { migrations: applied.map((m) => m.name) });
    await this.checkSchema();
    if (this.problem) throw this.problem;
    return applied;
  }

  private async afterChange(change: () => Promise<readonly MigrationInfo[]>): Promise<readonly MigrationInfo[]> {
    try {
      return await change();
    } finally {
      await this.checkSchema().catch((error: unknown) => {
        this.problem = error as Error;
      });
    }
  }

  private async checkSchema(): Promise<void> {
    const status = await this.inner.status();
    const names = (list: readonly MigrationInfo[]) => list.map((m) => m.name);
    this.deferred = false;
    if (status.tampered.length > 0) {
      this.problem = new MigrationError('tampered', `the database schema at ${this.backend.location} cannot be trusted: ${names(status.tampered).join(', ')} changed after being applied; restore the original migration SQL`, names(status.tampered));
    } else if (status.pending.length > 0 && this.autoMigrates && status.pausedSince === undefined) {
      this.problem = undefined;
      this.deferred = true;
    } else if (status.pending.length > 0) {
      this.problem = new MigrationError('pending', `the database schema at ${this.backend.location} is behind: ${status.pending.length} migration(s) pending (${names(status.pending).join(', ')}); ${howToCatchUp(status)}`, names(status.pending));
    } else {
      this.problem = undefined;
    }
    if (status.unknown.length > 0) {
      this.logger.warn(`the database has migrations no enabled plugin contributes: ${names(status.unknown).join(', ')}; was a plugin disabled?`);
    }
  }
}

function howToCatchUp(status: MigrationStatus): string {
  if (status.pausedSince === undefined) return 'run `nexus migrate up`';
  return `\`nexus migrate down\` reverted migrations at ${new Date(status.pausedSince).toISOString()}, so they are not re-applied by themselves: run \`nexus migrate up\` when you want them back`;
}
