import { SqlDatabaseToken, StorageMigratorToken, type ServiceRegistry, type SqlDatabase } from '@nexus/plugin-sdk';

/**
 * The database with the cron tables in it. Plain SQL is not wrapped like the core stores, so the
 * first use applies pending migrations where the store migrates by itself (SQLite by default),
 * and says what to run where it does not. Needs only the SDK: the plugin's start-up check for
 * stored jobs uses it without loading the engine.
 */
export class CronDatabase {
  private ready: Promise<SqlDatabase> | undefined;

  constructor(private readonly services: ServiceRegistry) {}

  /** False with `database.url: memory`, whose store has no SQL. */
  available(): boolean {
    return this.services.has(SqlDatabaseToken);
  }

  open(): Promise<SqlDatabase> {
    this.ready ??= this.connect();
    this.ready.catch(() => (this.ready = undefined));
    return this.ready;
  }

  private async connect(): Promise<SqlDatabase> {
    const { services } = this;
    if (!this.available()) throw new Error('cron keeps its jobs and runs in the database, and the configured store has no SQL (database.url: memory): set database.url to a SQLite file or a PostgreSQL URL');
    const db = await services.get(SqlDatabaseToken);
    if (services.has(StorageMigratorToken)) {
      const migrator = await services.get(StorageMigratorToken);
      await migrator.autoMigrate();
      const pending = (await migrator.status()).pending.filter((m) => m.name.startsWith('cron/')).map((m) => m.name);
      if (pending.length > 0) throw new Error(`the cron tables are not in the database ${db.location} yet (pending: ${pending.join(', ')}): run nexus migrate up`);
    }
    return db;
  }
}
