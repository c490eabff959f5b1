import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeStoreContract } from '@nexus/plugin-sdk/storage';
import { postgresSkipReason, query, runDatabaseUrl } from './postgres-test-kit.js';
import { openThroughKernel, postgresPluginDir, storeKernel } from './storage-test-kit.js';

const TABLES = ['messages', 'sessions', 'user_identities', 'users', 'agents', 'channel_connections', 'api_keys', 'inbound_receipts', 'channel_pairings'];

/** Every row of every core table, as text, to search for secrets. */
async function dumpTables(url: string): Promise<string> {
  const parts = await Promise.all(TABLES.map((table) => query(url, `SELECT * FROM ${table}`)));
  return JSON.stringify(parts);
}

describe.skipIf(postgresSkipReason() !== undefined)('PostgreSQL', () => {
  describeStoreContract('PostgreSQL', async (clock) => {
    const url = runDatabaseUrl();
    const kernel = storeKernel(postgresPluginDir, { url, auto_migrate: true, max_connections: 5 }, { clock });
    const opened = await openThroughKernel(kernel, () => dumpTables(url));
    // The store migrates before its first use; the tables must exist to be emptied.
    await opened.migrator.autoMigrate();
    // One database serves the whole file; each test starts from empty tables.
    await query(url, `TRUNCATE ${[...TABLES, 'nexus_safeguards'].join(', ')} CASCADE`);
    return opened;
  }, { describe, it, expect, beforeEach, afterEach });
});
