import { StoreUnavailableError } from '../../contracts/index.js';
import type { SqlDialect } from './sql-backend.js';

/**
 * PostgreSQL SQLSTATEs that mean the server cannot serve us right now, not that the query was
 * wrong: class 08 (connection exceptions), 57P01-57P03 (administrator or crash shutdown, not
 * accepting connections yet) and 53300 (too many connections).
 */
const POSTGRES_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;
/** Socket errors on the way to the server. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** node-postgres reports a lost or stuck connection with plain errors that carry no code. */
const POSTGRES_CONNECTION_LOST = /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|Query read timeout)/;
/** better-sqlite3 codes (extended ones start with these): another process holds the lock. */
const SQLITE_BUSY = /^SQLITE_(BUSY|LOCKED)/;
/** The file cannot be written at all. */
const SQLITE_UNWRITABLE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN)/;

/**
 * The caller's view of a driver error: a `StoreUnavailableError` in plain words when the database
 * cannot serve right now (the driver's error, with the database's own text, becomes its `cause`),
 * or the error unchanged when it says something about the query (a unique violation, say) that
 * the stores handle themselves.
 */
export function classifyDriverError(dialect: SqlDialect, error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof StoreUnavailableError) return error;
  const raw = (error as { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : '';
  if (dialect === 'sqlite') {
    if (SQLITE_BUSY.test(code)) {
      return new StoreUnavailableError('the database is busy: another process has held its write lock for longer than database.busy_timeout; retry shortly', { cause: error });
    }
    if (SQLITE_UNWRITABLE.test(code)) {
      return new StoreUnavailableError('the database cannot be written right now (disk full, or the file is unreadable or read-only); the gateway log has the details', { cause: error });
    }
    return error;
  }
  if (POSTGRES_UNAVAILABLE.test(code) || NETWORK_CODES.has(code) || (code === '' && POSTGRES_CONNECTION_LOST.test(error.message))) {
    return new StoreUnavailableError('the database is unavailable: the connection to PostgreSQL was lost or refused; retry shortly', { cause: error });
  }
  return error;
}

/** The driver's own words for the log, which callers never see. */
export function driverDetail(error: StoreUnavailableError): string {
  const cause = error.cause as { message?: unknown; code?: unknown } | undefined;
  const message = typeof cause?.message === 'string' && cause.message !== '' ? cause.message : String(cause?.code ?? 'no detail');
  return typeof cause?.code === 'string' && !message.includes(cause.code) ? `${message} (${cause.code})` : message;
}
