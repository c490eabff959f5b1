import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { withDatabase, type TestPostgres } from './postgres-global-setup.js';

/** The run's PostgreSQL, from the global setup. */
export function testPostgres(): TestPostgres {
  return inject('nexusPostgres');
}

/** Why PostgreSQL tests skip, or undefined when they run. Printed once per file that skips. */
export function postgresSkipReason(): string | undefined {
  const postgres = testPostgres();
  if (postgres.available) return undefined;
  console.warn(`Skipping PostgreSQL tests: ${postgres.reason}`);
  return postgres.reason;
}

/** The run's shared database URL. */
export function runDatabaseUrl(): string {
  const postgres = testPostgres();
  if (!postgres.available) throw new Error(postgres.reason);
  return postgres.url;
}

/** A fresh, empty database under the run's prefix (dropped by the global teardown); its URL. */
export async function freshDatabase(label: string): Promise<string> {
  const postgres = testPostgres();
  if (!postgres.available) throw new Error(postgres.reason);
  const name = `${postgres.prefix}_${label.replace(/[^a-z0-9_]/g, '_')}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return withDatabase(postgres.adminUrl, name);
}

/** Runs one statement against `url` on a short-lived connection. */
export async function query<R extends pg.QueryResultRow = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}
