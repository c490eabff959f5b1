import { MigrationError, type SqlDatabase, type Clock, type ContributionRegistry, type Logger, type MigrationInfo, type StorageMigrator } from '../../contracts/index.js';
import { Migrations } from '../../contracts/index.js';
import { planMigrations, SqlMigrator } from '../migrations/index.js';
import type { StoreSet } from '../../storage/index.js';
import { createSqlStores, sqlDatabase, type SqlBackend } from '../sql/index.js';

/**
 * One open SQL database with its stores and migrator. While the schema is not current (pending or
 * edited migrations, or a failed auto-migration), resolving a store fails with the reason, so the
 * gateway refuses to start and names the migrations; the migrator stays usable for `nexus migrate`.
 */
export class OpenStorage {
  private problem: Error | undefined;
  readonly migrator: StorageMigrator;
  /** Plain SQL for plugins with tables of their own; usable whatever the state of the core schema. */
  readonly sql: SqlDatabase;
  private readonly stores: StoreSet;

  private constructor(
    readonly backend: SqlBackend,
    private readonly inner: SqlMigrator,
    clock: Clock,
    private readonly logger: Logger,
  ) {
    this.stores = createSqlStores(backend, clock);
    this.sql = sqlDatabase(backend);
    this.migrator = {
      dialect: inner.dialect,
      location: inner.location,
      status: () => inner.status(),
      up: (count) => this.afterChange(() => inner.up(count)),
      down: (count) => this.afterChange(() => inner.down(count)),
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
    const storage = new OpenStorage(backend, new SqlMigrator(backend, plan, () => options.clock.now()), options.clock, options.logger);
    if (options.autoMigrate) {
      try {
        const applied = await storage.inner.up();
        if (applied.length > 0) options.logger.info(`applied ${applied.length} migration(s) to ${backend.location}`, { migrations: applied.map((m) => m.name) });
      } catch (error) {
        storage.problem = error as Error;
        options.logger.error(`migrating ${backend.location} failed: ${(error as Error).message}`);
        return storage;
      }
    }
    await storage.checkSchema();
    return storage;
  }

  /** The stores, or the reason they cannot be used yet. */
  current(): StoreSet {
    if (this.problem) throw this.problem;
    return this.stores;
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
    if (status.tampered.length > 0) {
      this.problem = new MigrationError('tampered', `the database schema at ${this.backend.location} cannot be trusted: ${names(status.tampered).join(', ')} changed after being applied; restore the original migration SQL`, names(status.tampered));
    } else if (status.pending.length > 0) {
      this.problem = new MigrationError(
        'pending',
        `the database schema at ${this.backend.location} is behind: ${status.pending.length} migration(s) pending (${names(status.pending).join(', ')}); run \`nexus migrate up\``,
        names(status.pending),
      );
    } else {
      this.problem = undefined;
    }
    if (status.unknown.length > 0) {
      this.logger.warn(`the database has migrations no enabled plugin contributes: ${names(status.unknown).join(', ')}; was a plugin disabled?`);
    }
  }
}
