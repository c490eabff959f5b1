import {
  ClockToken,
  createToken,
  SqlDatabaseToken,
  definePlugin,
  type Logger,
  type PluginActivationContext,
  type PluginDefinition,
} from '../../contracts/index.js';
import { provideStores, readDatabaseSettings, type DatabaseSettings } from '../../storage/index.js';
import type { SqlBackend } from '../sql/index.js';
import { OpenStorage } from './open-storage.js';

/** Per plugin instance, so two kernels in one process never share a database handle. */
class StorageHolder {
  storage: OpenStorage | undefined;

  get(): OpenStorage {
    if (!this.storage) throw new Error('the storage plugin is not open yet');
    return this.storage;
  }
}

const HolderToken = createToken<StorageHolder>('nexus.storage.sql.holder');

export interface SqlStoragePluginOptions {
  /** Opens the database; errors should say where and how to fix. */
  /** `home` is the host's home folder, where file databases live by default. */
  open(settings: DatabaseSettings, logger: Logger, home: string): Promise<SqlBackend>;
  /** Whether to migrate on open when `database.auto_migrate` is unset. */
  readonly autoMigrateByDefault: boolean;
}

/** The plugin definition storage-sqlite and storage-postgres share; only opening differs. */
export function defineSqlStoragePlugin(options: SqlStoragePluginOptions): PluginDefinition {
  return definePlugin({
    register(ctx) {
      const holder = new StorageHolder();
      ctx.bind(HolderToken).toConstantValue(holder);
      provideStores(
        ctx,
        () => holder.get().current(),
        () => holder.get().migrator,
      );
      ctx.provide(SqlDatabaseToken).toDynamicValue(() => holder.get().sql);
    },
    async activate(ctx: PluginActivationContext) {
      const settings = readDatabaseSettings(ctx.settings);
      const backend = await options.open(settings, ctx.logger, ctx.settings.home);
      try {
        ctx.get(HolderToken).storage = await OpenStorage.open(backend, {
          clock: ctx.get(ClockToken),
          contributions: ctx.contributions,
          logger: ctx.logger,
          autoMigrate: settings.auto_migrate ?? options.autoMigrateByDefault,
        });
      } catch (error) {
        await backend.close();
        throw error;
      }
    },
    async deactivate(ctx) {
      const holder = ctx.get(HolderToken);
      const storage = holder.storage;
      holder.storage = undefined;
      await storage?.backend.close();
    },
  });
}
