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
} from '../../contracts/index.js';
import {
  checkId,
  checkLimit,
  checkNewMessage,
  checkNewSession,
  checkPage,
  checkSessionKey,
  checkSessionPatch,
  parseJsonColumn,
  type UuidV7Generator,
} from '../storage/shared/index.js';
import { KeptMessage } from './kept-message.js';
import { pageOf } from './memory-paging.js';

/** Rows hold JSON as text, like the SQL stores, so both hand back exactly the same values. */
interface SessionRow {
  readonly id: string;
  readonly agentId: string;
  readonly channel: string;
  readonly key: string;
  title: string | undefined;
  metadata: string;
  lastSeq: number;
  readonly createdAt: number;
  updatedAt: number;
}

export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, SessionRow>();
  private readonly byKey = new Map<string, string>();
  private readonly messages = new Map<string, KeptMessage[]>();

  constructor(
    private readonly clock: Clock,
    private readonly ids: UuidV7Generator,
  ) {}

  async create(session: NewSession): Promise<Session> {
    const checked = checkNewSession(session);
    if (this.byKey.has(checked.key)) throw new AlreadyExistsError('session with key', checked.key);
    const now = this.clock.now();
    const row: SessionRow = { id: this.ids.next(now), ...checked, lastSeq: 0, createdAt: now, updatedAt: now };
    this.sessions.set(row.id, row);
    this.byKey.set(row.key, row.id);
    this.messages.set(row.id, []);
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
      (r) => (filter?.agentId === undefined || r.agentId === filter.agentId) && (filter?.channel === undefined || r.channel === filter.channel),
    );
    return pageOf(rows, checked, 'newest-first', toSession);
  }

  async update(id: string, patch: Partial<Pick<Session, 'title' | 'metadata'>>): Promise<Session> {
    const row = this.row(checkId('session.id', id));
    const checked = checkSessionPatch(patch ?? {});
    if (checked.title !== undefined) row.title = checked.title ?? undefined;
    if (checked.metadata !== undefined) row.metadata = checked.metadata;
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
    const checked = checkNewMessage(message);
    const session = this.row(checked.sessionId);
    const now = this.clock.now();
    const kept = new KeptMessage(checked, this.ids.next(now), now);
    session.lastSeq += 1;
    session.updatedAt = now;
    this.messages.get(session.id)!.push(kept);
    return kept.read();
  }

  async history(sessionId: string, limit: number): Promise<readonly Message[]> {
    const id = checkId('sessionId', sessionId);
    checkLimit('limit', limit);
    this.row(id);
    return this.messages.get(id)!.slice(-limit).map((kept) => kept.read());
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
    metadata: parseJsonColumn(row.metadata),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
