import { join } from 'node:path';
import { freshDatabase, postgresSkipReason } from '../storage/postgres-test-kit.js';
import { onCleanup, tempDir } from './cron-test-kit.js';
import { migrateCron, openPostgresClient, openSqliteClient, type TestSqlClient } from './sql-test-clients.js';

export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** Why its tests skip (PostgreSQL unreachable outside CI), or undefined. */
  readonly skip: string | undefined;
  /** A fresh, migrated database, and a way to open more connections to it. */
  database(): Promise<{ readonly db: TestSqlClient; connect(): TestSqlClient }>;
}

async function prepared(open: () => TestSqlClient): Promise<{ db: TestSqlClient; connect(): TestSqlClient }> {
  const connect = () => {
    const client = open();
    onCleanup(() => client.close());
    return client;
  };
  const db = connect();
  await migrateCron(db);
  return { db, connect };
}

/** SQLite on a temp file, and PostgreSQL on a fresh database of the run's server. */
export function dialects(): Dialect[] {
  return [
    {
      name: 'sqlite',
      skip: undefined,
      database: () => {
        const file = join(tempDir(), 'cron.db');
        return prepared(() => openSqliteClient(file));
      },
    },
    {
      name: 'postgres',
      skip: postgresSkipReason(),
      database: async () => {
        const url = await freshDatabase('cron');
        return prepared(() => openPostgresClient(url));
      },
    },
  ];
}
