import { SqlDatabaseToken, type Clock, type ServiceRegistry, type SqlDatabase } from '@nexus/plugin-sdk';
import type { UpdateOffsetStore } from './ports.js';

/**
 * Update offsets in the Nexus database (`telegram_update_offsets`, created by this plugin's
 * migration), so a restarted gateway asks Telegram for what it has not confirmed yet instead
 * of starting over. With `database.url: memory` there is no SQL database, and nothing else
 * survives a restart either: the offsets are then kept in this process only.
 */
export class SqlOffsetStore implements UpdateOffsetStore {
  private readonly inProcess = new Map<string, number>();
  private database: Promise<SqlDatabase | undefined> | undefined;

  constructor(
    private readonly services: ServiceRegistry,
    private readonly clock: Clock,
  ) {}

  /** Where offsets are kept, for `channels status` and the docs' claims: `database` or `process`. */
  get durable(): boolean {
    return this.services.has(SqlDatabaseToken);
  }

  async load(botId: string): Promise<number | undefined> {
    const db = await this.sql();
    if (!db) return this.inProcess.get(botId);
    const rows = await db.all<{ next_offset: number | string }>('SELECT next_offset FROM telegram_update_offsets WHERE bot_id = ?', [botId]);
    // PostgreSQL hands BIGINT back as a string.
    return rows[0] === undefined ? undefined : Number(rows[0].next_offset);
  }

  async save(botId: string, nextOffset: number): Promise<void> {
    const db = await this.sql();
    if (!db) {
      this.inProcess.set(botId, nextOffset);
      return;
    }
    await db.run(
      'INSERT INTO telegram_update_offsets (bot_id, next_offset, updated_at) VALUES (?, ?, ?) ON CONFLICT (bot_id) DO UPDATE SET next_offset = excluded.next_offset, updated_at = excluded.updated_at',
      [botId, nextOffset, this.clock.now()],
    );
  }

  /** Resolved on first use, never during activation: the store may be collecting this plugin's migrations. */
  private sql(): Promise<SqlDatabase | undefined> {
    this.database ??= this.services.has(SqlDatabaseToken) ? this.services.get(SqlDatabaseToken) : Promise.resolve(undefined);
    return this.database;
  }
}
