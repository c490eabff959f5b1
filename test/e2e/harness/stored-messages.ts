import { join } from 'node:path';
import { betterSqlite3 } from '../../../src/builtin-plugins/storage-sqlite/sqlite-driver.js';

const Database = betterSqlite3();

/** A message as the SQLite store keeps it. */
export interface StoredRow {
  readonly role: string;
  readonly content: string;
  readonly metadata: Record<string, unknown>;
}

/**
 * The messages of the session with `sessionKey`, oldest first, read straight from the instance's
 * SQLite file (read-only; the server may be running). The API has no call that lists a
 * session's messages with their metadata, and what was stored is what these tests are about.
 */
export function storedMessages(home: string, sessionKey: string): StoredRow[] {
  const db = new Database(join(home, 'data', 'nexus.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare('SELECT m.role, m.content, m.metadata FROM messages m JOIN sessions s ON s.id = m.session_id WHERE s.session_key = ? ORDER BY m.seq')
      .all(sessionKey) as { role: string; content: string; metadata: string }[];
    return rows.map((row) => ({ role: row.role, content: row.content, metadata: JSON.parse(row.metadata) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}
