import type { Selectable } from 'kysely';
import { NotFoundError, type ChannelConnection, type ChannelConnectionStore, type Clock, type Page, type PageRequest } from '../../contracts/index.js';
import { checkConnection, checkId, checkName, checkPage, type UuidV7Generator } from '../../storage/index.js';
import type { ChannelConnectionsTable } from './schema.js';
import { fromTime, toTime, type SqlBackend } from './sql-backend.js';
import { pageFrom } from './sql-session-store.js';

export class SqlChannelConnectionStore implements ChannelConnectionStore {
  constructor(
    private readonly backend: SqlBackend,
    private readonly clock: Clock,
    private readonly ids: UuidV7Generator,
  ) {}

  /** One statement, race-safe: the unique (user, channel, account) decides insert or update. */
  async upsert(connection: Omit<ChannelConnection, 'id' | 'createdAt' | 'updatedAt'>): Promise<ChannelConnection> {
    const checked = checkConnection(connection);
    const now = this.clock.now();
    const time = toTime(this.backend.dialect, now);
    const row = await this.backend.db
      .insertInto('channel_connections')
      .values({ id: this.ids.next(now), user_id: checked.userId, channel: checked.channel, account_id: checked.accountId, status: checked.status, created_at: time, updated_at: time })
      .onConflict((oc) =>
        oc.columns(['user_id', 'channel', 'account_id']).doUpdateSet((eb) => ({ status: eb.ref('excluded.status'), updated_at: eb.ref('excluded.updated_at') })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return toConnection(row);
  }

  async delete(id: string): Promise<void> {
    const result = await this.backend.db.deleteFrom('channel_connections').where('id', '=', checkId('connection.id', id)).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new NotFoundError('channel connection', id);
  }

  async list(userId: string, page: PageRequest): Promise<Page<ChannelConnection>> {
    const user = checkName('userId', userId);
    const checked = checkPage(page);
    const base = this.backend.db.selectFrom('channel_connections').where('user_id', '=', user);
    const [rows, count] = await Promise.all([
      (checked.after === undefined ? base : base.where('id', '>', checked.after)).selectAll().orderBy('id', 'asc').limit(checked.limit + 1).execute(),
      base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return pageFrom(rows, checked.limit, Number(count.n), toConnection);
  }
}

function toConnection(row: Selectable<ChannelConnectionsTable>): ChannelConnection {
  return {
    id: row.id,
    userId: row.user_id,
    channel: row.channel,
    accountId: row.account_id,
    status: row.status as ChannelConnection['status'],
    createdAt: fromTime(row.created_at),
    updatedAt: fromTime(row.updated_at),
  };
}
