import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

/** What the PostgreSQL tests receive: a database of their own, or why there is none. */
export type TestPostgres =
  | { readonly available: true; readonly url: string; readonly adminUrl: string; readonly prefix: string }
  | { readonly available: false; readonly reason: string };

declare module 'vitest' {
  export interface ProvidedContext {
    nexusPostgres: TestPostgres;
  }
}

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Gives each test run its own PostgreSQL database (`nexus_test_<random>`), and drops it, with any
 * others the tests made under the same prefix, afterwards. The server is the machine's, or
 * NEXUS_TEST_DATABASE_URL. When it is unreachable, PostgreSQL tests skip with the reason, except
 * with CI=true, where the run fails: CI must exercise PostgreSQL.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const adminUrl = process.env.NEXUS_TEST_DATABASE_URL || DEFAULT_URL;
  const prefix = `nexus_test_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${prefix}`);
  } catch (error) {
    await admin.end().catch(() => undefined);
    const reason = `PostgreSQL at ${redact(adminUrl)} is unreachable (${(error as Error).message || (error as { code?: string }).code}); set NEXUS_TEST_DATABASE_URL to a server where the user may create databases`;
    if (process.env.CI === 'true') throw new Error(`${reason}. CI=true requires the PostgreSQL tests to run.`);
    project.provide('nexusPostgres', { available: false, reason });
    return async () => undefined;
  }
  await admin.end();
  project.provide('nexusPostgres', { available: true, url: withDatabase(adminUrl, prefix), adminUrl, prefix });

  return async () => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${prefix}%`]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}
