import { dirname, resolve } from 'node:path';
import { SqlDatabaseToken, StorageMigratorToken, type Clock, type ConfigAccess, type Logger, type ServiceRegistry, type SqlDatabase } from '@nexus/plugin-sdk';
import { readMemorySettings, type MemorySection, type MemorySettings } from '../config/index.js';
import { MemoryEngine } from '../operations/index.js';

export interface MemoryHostDeps {
  readonly config: ConfigAccess;
  readonly services: ServiceRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Where the memory files live: `workspace.path` (relative to the config file) and `workspace.memory_file`. */
export interface MemoryWorkspace {
  readonly dir: string;
  readonly memoryFile: string;
}

/**
 * The plugin's one engine, opened on first use: reading the settings, resolving the SQL database
 * (whose store applies the memory migrations before handing it out) and loading sqlite-vec all
 * wait until a tool, a prompt section, a command or the watcher needs memory. Closed when the
 * plugin unloads.
 */
export class MemoryHost {
  private opening: Promise<MemoryEngine> | undefined;
  private settingsCache: MemorySettings | undefined;

  constructor(private readonly deps: MemoryHostDeps) {}

  /** The `memory` section in the engine's terms; throws MemoryConfigError with the pointer and a fix. */
  settings(): MemorySettings {
    if (this.settingsCache) return this.settingsCache;
    const section = this.deps.config.section<MemorySection>('memory');
    if (!section) throw new Error('the memory section has no value: the host did not apply the memory plugin\'s config schema');
    const user = this.deps.config.section<{ timezone?: string }>('user');
    this.settingsCache = readMemorySettings(section, user?.timezone ? { userTimeZone: user.timezone } : {});
    return this.settingsCache;
  }

  workspace(): MemoryWorkspace {
    const section = this.deps.config.section<{ path?: string; memory_file?: string }>('workspace') ?? {};
    const base = this.deps.config.path ? dirname(resolve(this.deps.config.path)) : process.cwd();
    return { dir: resolve(base, section.path ?? '.'), memoryFile: section.memory_file ?? 'MEMORY.md' };
  }

  get clock(): Clock {
    return this.deps.clock;
  }

  get logger(): Logger {
    return this.deps.logger;
  }

  /** The SQL database the memory tables are in; explains what to do when there is none. */
  async database(): Promise<SqlDatabase> {
    if (!this.deps.services.has(SqlDatabaseToken)) {
      throw new Error('memory needs a SQL database for its index, but the storage in use offers none (database.url: memory?); use SQLite (the default) or PostgreSQL');
    }
    // The SQL port hands out the connection as it is; the stores migrate before their first use, and
    // so does memory (the memory migrations among them), as database.auto_migrate allows.
    if (this.deps.services.has(StorageMigratorToken)) await (await this.deps.services.get(StorageMigratorToken)).autoMigrate();
    return this.deps.services.get(SqlDatabaseToken);
  }

  engine(): Promise<MemoryEngine> {
    this.opening ??= this.open().catch((error: unknown) => {
      // The next caller tries again (the database may come back, the config may be fixed by a reload).
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  private async open(): Promise<MemoryEngine> {
    const settings = this.settings();
    const sql = await this.database();
    const workspace = this.workspace();
    return MemoryEngine.open({ sql, workspaceDir: workspace.dir, memoryFile: workspace.memoryFile, settings, clock: this.deps.clock });
  }

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    const engine = await opening?.catch(() => undefined);
    await engine?.close();
  }
}
