import pg from 'pg';
import type { Logger } from '@nexus/plugin-sdk';
import { redactUrl } from '@nexus/plugin-sdk/storage';
import { postgresQueryBuilder, type SqlBackend } from '@nexus/plugin-sdk/storage-sql';

export interface PostgresOptions {
  readonly url: string;
  readonly maxConnections: number;
  readonly connMaxLifetimeMs: number;
  readonly logger?: Logger;
}

/** The Go version's pool settings: idle connections close after 2 minutes, connecting gives up after 10 s. */
const IDLE_TIMEOUT_MS = 120_000;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * A `pg` pool behind kysely. Connects once before returning, so a wrong URL or a server that is
 * down fails activation with a message saying where, instead of failing the first message later.
 */
export async function openPostgres(options: PostgresOptions): Promise<SqlBackend> {
  const location = redactUrl(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections,
    maxLifetimeSeconds: Math.max(1, Math.round(options.connMaxLifetimeMs / 1000)),
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An idle client losing its connection (server restart) emits here; unhandled, it would crash the process.
  pool.on('error', (error) => options.logger?.warn(`PostgreSQL connection at ${location} dropped: ${error.message}`));
  // A client that is checked out has no pool listener, and its connection ending (the server
  // restarting, pg_terminate_backend) emits 'error' on it even while a query is running: without
  // a listener of its own, that would crash the process. The query in flight fails by itself
  // (and is answered as unavailable), and the pool drops the broken client when it comes back.
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot connect to PostgreSQL at ${location}: ${describe(error)}; check database.url and that the server is running and reachable`, { cause: error });
  }
  const db = postgresQueryBuilder(pool, options.logger);
  return { dialect: 'postgres', db, location, close: () => db.destroy() };
}

/** What went wrong, in words, for the codes a first connection usually fails with. */
const CONNECT_FAILURES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'nothing accepts connections there',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved right now',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host cannot be reached',
  '28P01': 'the server refused the password',
  '28000': 'the server does not let this user connect',
  '3D000': 'the database does not exist',
  '57P03': 'the server is starting up or shutting down',
  '53300': 'the server has no connections left',
};

function describe(error: unknown): string {
  const { message, code } = error as { message?: string; code?: string };
  const known = code !== undefined ? CONNECT_FAILURES[code] : undefined;
  if (known) return `${known} (${code})`;
  // AggregateError (every address refused) has an empty message but a code.
  return message && message !== '' ? message : (code ?? String(error));
}
