import type { Selectable } from 'kysely';
import {
  AlreadyExistsError,
  NotFoundError,
  type Clock,
  type Message,
  type MessageRole,
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
  checkSessionIds,
  checkSessionKey,
  checkSessionPatch,
  decodeAttachments,
  encodeCursor,
  parseJsonColumn,
  type CheckedSession,
  type UuidV7Generator,
} from '../../storage/index.js';
import type { MessagesTable, SessionsTable } from './schema.js';
import { appendTemplate, type AppendValue } from './append-query.js';
import { HistoryCache, type SizedMessage } from './history-cache.js';
import { SessionReadQueries } from './session-read-queries.js';
import type { QueryTemplate } from './query-template.js';
import { fromCount, fromTime, isUniqueViolation, toTime, type SqlBackend } from './sql-backend.js';

export class SqlSessionStore implements SessionStore {
  private readonly appendQuery: QueryTemplate<AppendValue>;
  private readonly tails = new HistoryCache();
  private readonly reads: SessionReadQueries;

  constructor(
    private readonly backend: SqlBackend,
    private readonly clock: Clock,
    private readonly ids: UuidV7Generator,
  ) {
    this.appendQuery = appendTemplate(backend);
    this.reads = new SessionReadQueries(backend);
  }

  async create(session: NewSession): Promise<Session> {
    const checked = checkNewSession(session);
    try {
      return await this.insert(checked, false);
    } catch (error) {
      if (isUniqueViolation(error)) throw new AlreadyExistsError('session with key', checked.key);
      throw error;
    }
  }

  async get(id: string): Promise<Session> {
    const key = checkId('session.id', id);
    const row = await this.reads.session(key);
    if (!row) throw new NotFoundError('session', id);
    return toSession(row);
  }

  async getByKey(key: string): Promise<Session> {
    const row = await this.byKey(checkSessionKey(key));
    if (!row) throw new NotFoundError('session with key', key);
    return toSession(row);
  }

  /** Race-safe without a transaction: insert-if-absent on the unique key, then read whoever won. */
  async getOrCreate(session: NewSession): Promise<Session> {
    const checked = checkNewSession(session);
    const existing = await this.byKey(checked.key);
    if (existing) return toSession(existing);
    await this.insert(checked, true);
    const row = await this.byKey(checked.key);
    if (!row) throw new NotFoundError('session with key', checked.key);
    return toSession(row);
  }

  async list(filter: SessionFilter, page: PageRequest): Promise<Page<Session>> {
    const checked = checkPage(page);
    let query = this.backend.db.selectFrom('sessions');
    if (filter?.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId);
    if (filter?.channel !== undefined) query = query.where('channel', '=', filter.channel);
    if (filter?.ownerId !== undefined) query = query.where('owner_id', '=', filter.ownerId);
    const [rows, count] = await Promise.all([
      (checked.after === undefined ? query : query.where('id', '<', checked.after)).selectAll().orderBy('id', 'desc').limit(checked.limit + 1).execute(),
      query.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return pageFrom(rows, checked.limit, Number(count.n), toSession);
  }

  async update(id: string, patch: Partial<Pick<Session, 'title' | 'metadata' | 'ownerId'>>): Promise<Session> {
    const key = checkId('session.id', id);
    const checked = checkSessionPatch(patch ?? {});
    const row = await this.backend.db
      .updateTable('sessions')
      .set({
        ...(checked.title !== undefined ? { title: checked.title } : {}),
        ...(checked.metadata !== undefined ? { metadata: checked.metadata } : {}),
        ...(checked.ownerId !== undefined ? { owner_id: checked.ownerId } : {}),
        updated_at: toTime(this.backend.dialect, this.clock.now()),
      })
      .where('id', '=', key)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new NotFoundError('session', id);
    return toSession(row);
  }

  async delete(id: string): Promise<void> {
    const key = checkId('session.id', id);
    // Messages go with it: ON DELETE CASCADE.
    this.tails.delete(key);
    const result = await this.backend.db.deleteFrom('sessions').where('id', '=', key).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new NotFoundError('session', id);
  }

  /**
   * One statement, so one implicit transaction and, on PostgreSQL, one round trip. It takes the
   * session's next number from `last_seq` and moves the counter and `updated_at` with it: on
   * PostgreSQL an UPDATE in a CTE (its row lock orders concurrent appends), on SQLite a trigger
   * on messages (writes are serialized anyway). No row inserted means no such session.
   */
  async appendMessage(message: NewMessage): Promise<Message> {
    const checked = checkNewMessage(message);
    const now = this.clock.now();
    const id = this.ids.next(now);
    const result = await this.backend.db.executeQuery(
      this.appendQuery.bind({
        id,
        sessionId: checked.sessionId,
        role: checked.role,
        content: checked.content,
        attachments: checked.attachments,
        toolCalls: checked.toolCalls,
        toolResults: checked.toolResults,
        metadata: checked.metadata,
        now: toTime(this.backend.dialect, now),
      }),
    );
    if (Number(result.numAffectedRows ?? 0n) === 0) throw new NotFoundError('session', checked.sessionId);
    return toMessage({ id, session_id: checked.sessionId, seq: 0, role: checked.role, content: checked.content, attachments: checked.attachments, tool_calls: checked.toolCalls, tool_results: checked.toolResults, metadata: checked.metadata, created_at: now });
  }

  /**
   * The newest `limit` messages, oldest first. A session read before is answered from its cached
   * tail plus the rows appended since (one indexed query for a row or two, instead of `limit`
   * rows and their JSON decoded again); see `HistoryCache`. The messages are frozen.
   */
  async history(sessionId: string, limit: number): Promise<readonly Message[]> {
    const key = checkId('sessionId', sessionId);
    checkLimit('limit', limit);
    const cached = this.tails.get(key);
    if (cached && (cached.fromStart || cached.messages.length >= limit)) {
      const rows = await this.reads.since(key, cached.lastSeq);
      // The newest cached message comes back first unless the history was cleared since (here or
      // by another process): then the tail is stale, and the history is read afresh.
      const stale = cached.lastSeq > 0 && Number(rows[0]?.seq) !== cached.lastSeq;
      if (!stale) {
        const fresh = cached.lastSeq > 0 ? rows.slice(1) : rows;
        if (fresh.length === 0) {
          // Its newest message still there says the session is (messages go with their session).
          if (cached.lastSeq === 0) await this.mustExist(key, sessionId);
          return cached.messages.slice(-limit);
        }
        const messages = this.tails.extend(key, cached, fresh.map(sized), { lastSeq: Number(fresh.at(-1)!.seq), fromStart: cached.fromStart }, limit);
        return messages.slice(-limit);
      }
      this.tails.delete(key);
    }
    const rows = await this.reads.newest(key, limit);
    // Only an empty answer needs telling apart "no messages yet" from "no such session".
    if (rows.length === 0) await this.mustExist(key, sessionId);
    rows.reverse();
    return this.tails.extend(key, undefined, rows.map(sized), { lastSeq: Number(rows.at(-1)?.seq ?? 0), fromStart: rows.length < limit }, limit);
  }

  async countMessages(sessionIds: readonly string[]): Promise<ReadonlyMap<string, number>> {
    const ids = checkSessionIds('sessionIds', sessionIds);
    const counts = new Map(ids.map((id) => [id, 0]));
    if (ids.length === 0) return counts;
    const rows = await this.backend.db
      .selectFrom('messages')
      .select(['session_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('session_id', 'in', ids)
      .groupBy('session_id')
      .execute();
    for (const row of rows) counts.set(row.session_id, fromCount(row.n));
    return counts;
  }

  /**
   * One transaction: the session's row is written first (on PostgreSQL its lock holds a
   * concurrent append back until the messages are gone), then its messages go. `last_seq` keeps
   * counting, so what is appended next numbers after the cleared messages: that is how a cached
   * tail in another process learns they are gone (see `history`).
   */
  async clearHistory(sessionId: string): Promise<number> {
    const key = checkId('sessionId', sessionId);
    const cleared = await this.backend.db.transaction().execute(async (trx) => {
      const touched = await trx.updateTable('sessions').set({ updated_at: toTime(this.backend.dialect, this.clock.now()) }).where('id', '=', key).executeTakeFirst();
      if (Number(touched.numUpdatedRows) === 0) throw new NotFoundError('session', sessionId);
      const deleted = await trx.deleteFrom('messages').where('session_id', '=', key).executeTakeFirst();
      return Number(deleted.numDeletedRows);
    });
    this.tails.delete(key);
    return cleared;
  }

  private async mustExist(key: string, sessionId: string): Promise<void> {
    if (await this.reads.sessionExistsById(key)) return;
    this.tails.delete(key);
    throw new NotFoundError('session', sessionId);
  }

  private byKey(key: string): Promise<Selectable<SessionsTable> | undefined> {
    return this.backend.db.selectFrom('sessions').selectAll().where('session_key', '=', key).executeTakeFirst();
  }

  private async insert(checked: CheckedSession, ifAbsent: boolean): Promise<Session> {
    const now = this.clock.now();
    const time = toTime(this.backend.dialect, now);
    const values = { id: this.ids.next(now), agent_id: checked.agentId, channel: checked.channel, session_key: checked.key, title: checked.title ?? null, metadata: checked.metadata, owner_id: checked.ownerId ?? null, last_seq: 0, created_at: time, updated_at: time };
    let query = this.backend.db.insertInto('sessions').values(values);
    if (ifAbsent) query = query.onConflict((oc) => oc.column('session_key').doNothing());
    await query.execute();
    return toSession({ ...values, created_at: now, updated_at: now });
  }
}

/** A page from `limit + 1` rows: the extra row only says that another page follows. */
export function pageFrom<R extends { readonly id: string }, T>(rows: readonly R[], limit: number, total: number, toItem: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items: items.map(toItem), total, ...(rows.length > limit && last ? { nextCursor: encodeCursor(last.id) } : {}) };
}

function toSession(row: Selectable<SessionsTable>): Session {
  return {
    id: row.id,
    agentId: row.agent_id,
    channel: row.channel,
    key: row.session_key,
    ...(row.title !== null ? { title: row.title } : {}),
    metadata: parseJsonColumn(row.metadata),
    ...(row.owner_id !== null ? { ownerId: row.owner_id } : {}),
    createdAt: fromTime(row.created_at),
    updatedAt: fromTime(row.updated_at),
  };
}

/** A message read from a row, with the size of the row's text and JSON (what the cache holds, roughly). */
function sized(row: Selectable<MessagesTable>): SizedMessage {
  const json = [row.attachments, row.tool_calls, row.tool_results, row.metadata];
  let bytes = 2 * row.content.length + 200;
  for (const column of json) bytes += 2 * (typeof column === 'string' ? column.length : JSON.stringify(column).length);
  return { message: toMessage(row), bytes };
}

function toMessage(row: Selectable<MessagesTable>): Message {
  return {
    id: row.id,
    sessionId: row.session_id,
    role: row.role as MessageRole,
    content: row.content,
    attachments: decodeAttachments(row.attachments),
    toolCalls: parseJsonColumn(row.tool_calls),
    toolResults: parseJsonColumn(row.tool_results),
    metadata: parseJsonColumn(row.metadata),
    createdAt: fromTime(row.created_at),
  };
}
