import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Logger } from '@nexus/plugin-sdk';
import { sqliteQueryBuilder, type SqlBackend, type SqliteDatabase, type SqliteStatement } from '@nexus/plugin-sdk/storage-sql';
import { betterSqlite3 } from './sqlite-driver.js';

export interface SqliteOptions {
  readonly file: string;
  readonly busyTimeoutMs: number;
  readonly synchronous: 'full' | 'normal';
  readonly logger?: Logger;
}

/** Prepared statements are reused; the query shapes are few, so the cache stays small. */
const STATEMENT_CACHE_LIMIT = 256;

/**
 * Opens the SQLite file in WAL mode: readers never wait for the writer, and a commit is one
 * append to the log. `synchronous` decides when a commit counts as durable: FULL syncs the log
 * on every commit (survives power loss); NORMAL leaves it to the OS (survives a crash of Nexus,
 * as the OS still writes the log out, but not of the machine). Foreign keys are on, so deleting a
 * session deletes its messages.
 */
export function openSqlite(options: SqliteOptions): SqlBackend {
  const created = !existsSync(options.file);
  mkdirSync(dirname(options.file), { recursive: true, mode: 0o700 });
  let raw: BetterSqlite3.Database;
  try {
    const Driver = betterSqlite3();
    raw = new Driver(options.file, { timeout: options.busyTimeoutMs });
  } catch (error) {
    throw new Error(`cannot open the SQLite database ${options.file}: ${(error as Error).message}; check database.path and the folder's permissions`, { cause: error });
  }
  try {
    // Conversations are private: only the owner may read the file (the WAL and shm files inherit this).
    if (created) chmodSync(options.file, 0o600);
    raw.pragma('journal_mode = WAL');
    raw.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    raw.pragma('foreign_keys = ON');
  } catch (error) {
    raw.close();
    throw new Error(`cannot use the SQLite database ${options.file}: ${(error as Error).message}; is it a Nexus database, and not corrupted?`, { cause: error });
  }
  const db = sqliteQueryBuilder(new CachedSqlite(raw), options.logger);
  return {
    dialect: 'sqlite',
    db,
    location: options.file,
    loadExtension: (path) => void raw.loadExtension(path),
    close: () => db.destroy(),
  };
}

/**
 * The database as kysely's SQLite driver sees it. Two differences from the plain handle:
 * prepared statements are cached (kysely would prepare each query anew), and kysely's `begin`
 * becomes BEGIN IMMEDIATE, which takes the write lock up front. Every transaction here writes, and
 * a deferred one that later needs to write can fail with SQLITE_BUSY instead of waiting its turn.
 */
class CachedSqlite implements SqliteDatabase {
  private readonly statements = new Map<string, SqliteStatement>();

  constructor(private readonly raw: BetterSqlite3.Database) {}

  prepare(sql: string): SqliteStatement {
    const text = sql === 'begin' ? 'begin immediate' : sql;
    let statement = this.statements.get(text);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_LIMIT) this.statements.clear();
      statement = this.raw.prepare(text) as unknown as SqliteStatement;
      this.statements.set(text, statement);
    }
    return statement;
  }

  close(): void {
    this.statements.clear();
    this.raw.close();
  }
}
