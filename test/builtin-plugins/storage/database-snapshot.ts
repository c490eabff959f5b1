import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { query } from './postgres-test-kit.js';

/**
 * Everything a database holds, as text: each table's definition and every row, in a stable order.
 * Two snapshots are equal exactly when nothing was created, dropped or written in between.
 */
export async function snapshot(database: { readonly path?: unknown; readonly url?: unknown }): Promise<string> {
  if (typeof database.url === 'string' && database.url.startsWith('postgres')) return postgresSnapshot(database.url);
  return sqliteSnapshot(database.path as string);
}

async function sqliteSnapshot(file: string): Promise<string> {
  if (!existsSync(file)) return 'no file';
  const Database = (await import('../../../src/builtin-plugins/storage-sqlite/sqlite-driver.js')).betterSqlite3();
  const db = new Database(file, { readonly: true });
  const parts: string[] = [];
  try {
    const objects = db.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").all() as { type: string; name: string; sql: string | null }[];
    for (const object of objects) {
      parts.push(`${object.type} ${object.name}: ${object.sql ?? ''}`);
      if (object.type === 'table') parts.push(JSON.stringify(db.prepare(`SELECT * FROM "${object.name}" ORDER BY 1`).all()));
    }
  } finally {
    db.close();
  }
  // The file itself too, read once every connection is closed (nothing is left in the write-ahead log).
  parts.push(`file sha256 ${createHash('sha256').update(readFileSync(file)).digest('hex')}`);
  return parts.join('\n');
}

async function postgresSnapshot(url: string): Promise<string> {
  const columns = await query<{ table_name: string; column_name: string; data_type: string }>(
    url,
    "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
  );
  const indexes = await query<{ indexname: string; indexdef: string }>(url, "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname");
  const parts = [JSON.stringify(columns), JSON.stringify(indexes)];
  for (const table of [...new Set(columns.map((c) => c.table_name))]) parts.push(`${table}: ${JSON.stringify(await query(url, `SELECT * FROM "${table}" ORDER BY 1`))}`);
  return parts.join('\n');
}

/** The names of the tables in the database. */
export async function tableNames(database: { readonly path?: unknown; readonly url?: unknown }): Promise<string[]> {
  if (typeof database.url === 'string' && database.url.startsWith('postgres')) {
    return (await query<{ tablename: string }>(database.url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).map((r) => r.tablename);
  }
  if (!existsSync(database.path as string)) return [];
  const Database = (await import('../../../src/builtin-plugins/storage-sqlite/sqlite-driver.js')).betterSqlite3();
  const db = new Database(database.path as string, { readonly: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}
