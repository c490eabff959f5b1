import { NotFoundError, type ChannelConnection, type ChannelConnectionStore, type Clock, type Page, type PageRequest } from '@nexus/plugin-sdk';
import { checkConnection, checkId, checkName, checkPage, type UuidV7Generator } from '@nexus/plugin-sdk/storage';
import { pageOf } from './memory-paging.js';

export class MemoryChannelConnectionStore implements ChannelConnectionStore {
  private readonly connections = new Map<string, ChannelConnection>();

  constructor(
    private readonly clock: Clock,
    private readonly ids: UuidV7Generator,
  ) {}

  async upsert(connection: Omit<ChannelConnection, 'id' | 'createdAt' | 'updatedAt'>): Promise<ChannelConnection> {
    const checked = checkConnection(connection);
    const now = this.clock.now();
    const existing = [...this.connections.values()].find(
      (c) => c.userId === checked.userId && c.channel === checked.channel && c.accountId === checked.accountId,
    );
    const row: ChannelConnection = existing
      ? { ...existing, status: checked.status, updatedAt: now }
      : { id: this.ids.next(now), ...checked, createdAt: now, updatedAt: now };
    this.connections.set(row.id, row);
    return { ...row };
  }

  async delete(id: string): Promise<void> {
    const key = checkId('connection.id', id);
    if (!this.connections.delete(key)) throw new NotFoundError('channel connection', id);
  }

  async list(userId: string, page: PageRequest): Promise<Page<ChannelConnection>> {
    const user = checkName('userId', userId);
    const checked = checkPage(page);
    return pageOf([...this.connections.values()].filter((c) => c.userId === user), checked, 'oldest-first', (c) => ({ ...c }));
  }
}
