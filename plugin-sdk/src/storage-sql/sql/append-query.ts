import { sql } from 'kysely';
import type { SqlBackend } from './sql-backend.js';
import { QueryTemplate } from './query-template.js';

export type AppendValue = 'id' | 'sessionId' | 'role' | 'content' | 'attachments' | 'toolCalls' | 'toolResults' | 'metadata' | 'now';
const VALUES: readonly AppendValue[] = ['id', 'sessionId', 'role', 'content', 'attachments', 'toolCalls', 'toolResults', 'metadata', 'now'];
const COLUMNS = ['id', 'session_id', 'seq', 'role', 'content', 'attachments', 'tool_calls', 'tool_results', 'metadata', 'created_at'] as const;

/**
 * The append as one INSERT … SELECT that numbers the message from its session row:
 * - PostgreSQL (and CockroachDB): the SELECT reads a CTE that bumps `last_seq` and `updated_at`
 *   with UPDATE … RETURNING; the values are cast, as a SELECT list does not infer column types.
 * - SQLite, which has no writes in CTEs: the SELECT reads `last_seq + 1`, and the trigger
 *   `messages_bump_session` (core/0001_sessions) moves the session's counter and `updated_at`.
 */
export function appendTemplate(backend: SqlBackend): QueryTemplate<AppendValue> {
  const { db } = backend;
  if (backend.dialect === 'postgres') {
    return QueryTemplate.build(VALUES, (p) =>
      db
        .with('bumped', (w) =>
          w
            .updateTable('sessions')
            .set({ last_seq: sql<number>`last_seq + 1`, updated_at: sql<Date>`${p('now')}::timestamptz` })
            .where('id', '=', sql<string>`${p('sessionId')}::uuid`)
            .returning(['id', 'last_seq']),
        )
        .insertInto('messages')
        .columns(COLUMNS)
        .expression((eb) =>
          eb
            .selectFrom('bumped')
            .select([
              sql<string>`${p('id')}::uuid`.as('id'),
              'bumped.id as session_id',
              'bumped.last_seq as seq',
              sql<string>`${p('role')}::text`.as('role'),
              sql<string>`${p('content')}::text`.as('content'),
              sql<string>`${p('attachments')}::jsonb`.as('attachments'),
              sql<string>`${p('toolCalls')}::jsonb`.as('tool_calls'),
              sql<string>`${p('toolResults')}::jsonb`.as('tool_results'),
              sql<string>`${p('metadata')}::jsonb`.as('metadata'),
              sql<Date>`${p('now')}::timestamptz`.as('created_at'),
            ]),
        ),
    );
  }
  return QueryTemplate.build(VALUES, (p) =>
    db
      .insertInto('messages')
      .columns(COLUMNS)
      .expression((eb) =>
        eb
          .selectFrom('sessions')
          .select([
            sql<string>`${p('id')}`.as('id'),
            'sessions.id as session_id',
            sql<number>`last_seq + 1`.as('seq'),
            sql<string>`${p('role')}`.as('role'),
            sql<string>`${p('content')}`.as('content'),
            sql<string>`${p('attachments')}`.as('attachments'),
            sql<string>`${p('toolCalls')}`.as('tool_calls'),
            sql<string>`${p('toolResults')}`.as('tool_results'),
            sql<string>`${p('metadata')}`.as('metadata'),
            sql<number>`${p('now')}`.as('created_at'),
          ])
          .where('sessions.id', '=', p('sessionId')),
      ),
  );
}
