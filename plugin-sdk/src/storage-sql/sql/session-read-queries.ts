import type { CompiledQuery, Selectable } from 'kysely';
import type { MessagesTable, SessionsTable } from './schema.js';
import { QueryTemplate } from './query-template.js';
import type { SqlBackend } from './sql-backend.js';

/**
 * The reads every turn makes, built and compiled once per store: building a kysely query and
 * compiling it to SQL again on every call cost more than running it on SQLite.
 */
export class SessionReadQueries {
  private readonly sessionById: QueryTemplate<'id'>;
  private readonly sessionExists: QueryTemplate<'id'>;
  private readonly newestMessages: QueryTemplate<'sessionId' | 'limit'>;
  private readonly messagesSince: QueryTemplate<'sessionId' | 'seq'>;

  constructor(private readonly backend: SqlBackend) {
    const { db } = backend;
    this.sessionById = QueryTemplate.build(['id'], (p) => db.selectFrom('sessions').selectAll().where('id', '=', p('id')));
    this.sessionExists = QueryTemplate.build(['id'], (p) => db.selectFrom('sessions').select('id').where('id', '=', p('id')));
    this.newestMessages = QueryTemplate.build(['sessionId', 'limit'], (p) =>
      db.selectFrom('messages').selectAll().where('session_id', '=', p('sessionId')).orderBy('seq', 'desc').limit(p('limit')),
    );
    this.messagesSince = QueryTemplate.build(['sessionId', 'seq'], (p) =>
      db.selectFrom('messages').selectAll().where('session_id', '=', p('sessionId')).where('seq', '>=', p('seq')).orderBy('seq', 'asc'),
    );
  }

  async session(id: string): Promise<Selectable<SessionsTable> | undefined> {
    return (await this.rows<Selectable<SessionsTable>>(this.sessionById.bind({ id })))[0];
  }

  async sessionExistsById(id: string): Promise<boolean> {
    return (await this.rows(this.sessionExists.bind({ id }))).length > 0;
  }

  /** The session's newest `limit` messages, newest first. */
  newest(sessionId: string, limit: number): Promise<Selectable<MessagesTable>[]> {
    return this.rows(this.newestMessages.bind({ sessionId, limit }));
  }

  /** The session's messages from `seq` on (that one included, if it is still there), oldest first. */
  since(sessionId: string, seq: number): Promise<Selectable<MessagesTable>[]> {
    return this.rows(this.messagesSince.bind({ sessionId, seq }));
  }

  private async rows<R>(query: CompiledQuery): Promise<R[]> {
    return (await this.backend.db.executeQuery<R>(query)).rows;
  }
}
