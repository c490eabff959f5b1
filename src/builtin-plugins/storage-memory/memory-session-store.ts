import {
  AlreadyExistsError,
  NotFoundError,
  type Clock,
  type Message,
  type NewMessage,
  type NewSession,
  type Page,
  type PageRequest,
  type Session,
  type SessionFilter,
  type SessionStore,
} from '@nexus/plugin-sdk';
import {
  checkId,
  checkLimit,
  checkNewMessageValues,
  checkNewSession,
  checkPage,
  checkSessionIds,
  checkSessionKey,
  checkSessionPatch,
  type UuidV7Generator,
} from '@nexus/plugin-sdk/storage';
import { frozenJson } from './frozen-json.js';
import { keepMessage } from './kept-message.js';
import { pageOf } from './memory-paging.js';
import { MessageLog } from './message-log.js';

/**
 * A session as the store keeps it. The metadata is parsed from the same JSON text the SQL stores
 * keep (so both hand back the same values) once per change and kept deep-frozen, shared by every
 * reader: parsing it on every `get`, once per turn, was wasted work.
 */
interface SessionRow {
  readonly id: string;
  readonly agentId: string;
  readonly channel: string;
  readonly key: string;
  title: string | undefined;
  metadata: Readonly<Record<string, unknown>>;
  ownerId: string | undefined;
  lastSeq: number;
  readonly createdAt: number;
  updatedAt: number;
}

export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, SessionRow>();
  private readonly byKey = new Map<string, string>();
  private readonly messages = new Map<string, MessageLog>();

  constructor(
    private readonly clock: Clock,
    private readonly ids: UuidV7Generator,
  ) {}

  async create(session: NewSession): Promise<Session> {
    const checked = checkNewSession(session);
    if (this.byKey.has(checked.key)) throw new AlreadyExistsError('session with key', checked.key);
    const now = this.clock.now();
    const row: SessionRow = { id: this.ids.next(now), ...checked, metadata: frozenJson(checked.metadata), lastSeq: 0, createdAt: now, updatedAt: now };
    this.sessions.set(row.id, row);
    this.byKey.set(row.key, row.id);
    this.messages.set(row.id, new MessageLog());
    return toSession(row);
  }

  async get(id: string): Promise<Session> {
    return toSession(this.row(checkId('session.id', id)));
  }

  async getByKey(key: string): Promise<Session> {
    const id = this.byKey.get(checkSessionKey(key));
    if (id === undefined) throw new NotFoundError('session with key', key);
    return toSession(this.row(id));
  }

  async getOrCreate(session: NewSession): Promise<Session> {
    const checked = checkNewSession(session);
    const id = this.byKey.get(checked.key);
    return id === undefined ? this.create(session) : toSession(this.row(id));
  }

  async list(filter: SessionFilter, page: PageRequest): Promise<Page<Session>> {
    const checked = checkPage(page);
    const rows = [...this.sessions.values()].filter(
      (r) =>
        (filter?.agentId === undefined || r.agentId === filter.agentId) &&
        (filter?.channel === undefined || r.channel === filter.channel) &&
        (filter?.ownerId === undefined || r.ownerId === filter.ownerId),
    );
    return pageOf(rows, checked, 'newest-first', toSession);
  }

  async update(id: string, patch: Partial<Pick<Session, 'title' | 'metadata' | 'ownerId'>>): Promise<Session> {
    const row = this.row(checkId('session.id', id));
    const checked = checkSessionPatch(patch ?? {});
    if (checked.title !== undefined) row.title = checked.title ?? undefined;
    if (checked.metadata !== undefined) row.metadata = frozenJson(checked.metadata);
    if (checked.ownerId !== undefined) row.ownerId = checked.ownerId ?? undefined;
    row.updatedAt = this.clock.now();
    return toSession(row);
  }

  async delete(id: string): Promise<void> {
    const row = this.row(checkId('session.id', id));
    this.sessions.delete(row.id);
    this.byKey.delete(row.key);
    this.messages.delete(row.id);
  }

  async appendMessage(message: NewMessage): Promise<Message> {
    const checked = checkNewMessageValues(message);
    const session = this.row(checked.sessionId);
    const now = this.clock.now();
    const kept = keepMessage(checked, this.ids.next(now), now);
    session.lastSeq += 1;
    session.updatedAt = now;
    return this.messages.get(session.id)!.append(kept);
  }

  async history(sessionId: string, limit: number): Promise<readonly Message[]> {
    const id = checkId('sessionId', sessionId);
    checkLimit('limit', limit);
    this.row(id);
    return this.messages.get(id)!.last(limit);
  }

  async countMessages(sessionIds: readonly string[]): Promise<ReadonlyMap<string, number>> {
    return new Map(checkSessionIds('sessionIds', sessionIds).map((id) => [id, this.messages.get(id)?.size ?? 0]));
  }

  async clearHistory(sessionId: string): Promise<number> {
    const row = this.row(checkId('sessionId', sessionId));
    const log = this.messages.get(row.id)!;
    const cleared = log.size;
    this.messages.set(row.id, new MessageLog());
    row.updatedAt = this.clock.now();
    return cleared;
  }

  private row(id: string): SessionRow {
    const row = this.sessions.get(id);
    if (!row) throw new NotFoundError('session', id);
    return row;
  }
}

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    agentId: row.agentId,
    channel: row.channel,
    key: row.key,
    ...(row.title !== undefined ? { title: row.title } : {}),
    metadata: row.metadata,
    ...(row.ownerId !== undefined ? { ownerId: row.ownerId } : {}),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
