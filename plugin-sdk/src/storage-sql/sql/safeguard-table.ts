import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import { isMissingTable, isUniqueViolation, type SqlDialect } from './sql-backend.js';

/** Row names in `nexus_safeguards`. */
export const SAFEGUARD_ROWS = {
  credentials: 'credentials_configured',
  migrationsPaused: 'migrations_paused',
  gatewayPrefix: 'gateway:',
} as const;

export interface SafeguardRow {
  readonly name: string;
  readonly value: string;
  readonly updatedAt: number;
}

/**
 * Runs `CREATE … IF NOT EXISTS` statements. Concurrent first runs on PostgreSQL may clash creating
 * the same table (a unique violation on pg_type, duplicate_table 42P07 or duplicate_object 42710),
 * so that is retried.
 */
export async function createIfMissing(db: Kysely<Database>, statements: readonly string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      for (const statement of statements) await sql.raw(statement).execute(db);
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= 3 || !(isUniqueViolation(error) || code === '42P07' || code === '42710')) throw error;
    }
  }
}

export function ensureSafeguardTable(db: Kysely<Database>, dialect: SqlDialect): Promise<void> {
  const count = dialect === 'postgres' ? 'BIGINT' : 'INTEGER';
  return createIfMissing(db, [`CREATE TABLE IF NOT EXISTS nexus_safeguards (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at ${count} NOT NULL)`]);
}

/**
 * Rows whose name is `name`, or starts with it when `prefix` (our prefixes hold no LIKE wildcards);
 * none while the table does not exist, and nothing is created to find out.
 */
export async function readSafeguards(db: Kysely<Database>, name: string, prefix = false): Promise<SafeguardRow[]> {
  try {
    const query = db.selectFrom('nexus_safeguards').select(['name', 'value', 'updated_at']);
    const rows = await (prefix ? query.where('name', 'like', `${name}%`) : query.where('name', '=', name)).orderBy('updated_at', 'asc').execute();
    return rows.map((r) => ({ name: r.name, value: r.value, updatedAt: Number(r.updated_at) }));
  } catch (error) {
    if (isMissingTable(error)) return [];
    throw error;
  }
}

/** Sets a row; `keepExisting` leaves a row that is already there as it is. The table must exist. */
export async function writeSafeguard(db: Kysely<Database>, row: SafeguardRow, keepExisting = false): Promise<void> {
  await db
    .insertInto('nexus_safeguards')
    .values({ name: row.name, value: row.value, updated_at: row.updatedAt })
    .onConflict((oc) => (keepExisting ? oc.column('name').doNothing() : oc.column('name').doUpdateSet({ value: row.value, updated_at: row.updatedAt })))
    .execute();
}

/** Deletes a row; returns whether it was there. Nothing to delete while the table does not exist. */
export async function deleteSafeguard(db: Kysely<Database>, name: string): Promise<boolean> {
  try {
    const result = await db.deleteFrom('nexus_safeguards').where('name', '=', name).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  } catch (error) {
    if (isMissingTable(error)) return false;
    throw error;
  }
}
