import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DoctorChecks, SessionStoreToken, StorageMigratorToken } from '@nexus/plugin-sdk';
import { sqliteFile } from '@nexus/plugin-sdk/storage';
import { createTestKernel, type TestKernel } from '../../../src/kernel/testing/index.js';
import { freshDatabase, postgresSkipReason } from './postgres-test-kit.js';
import { memoryPluginDir, postgresPluginDir, sqlitePluginDir, storagePluginDir, storesOf, tempDir } from './storage-test-kit.js';

/** The storage plugin with all three store plugins, as a plain install has them: config picks one. */
function installKernel(database: Record<string, unknown>): TestKernel {
  return createTestKernel({ plugin: storagePluginDir, with: [sqlitePluginDir, postgresPluginDir, memoryPluginDir], settings: { database } });
}

const SETTINGS = { url: '', path: '', max_connections: 25, conn_max_lifetime: '5m', busy_timeout: '5s', synchronous: 'full' as const };

describe('the storage slot', () => {
  it('is filled by SQLite when database.url is empty', async () => {
    const file = join(tempDir(), 'nexus.db');
    await using kernel = installKernel({ path: file });
    const migrator = await kernel.services.get(StorageMigratorToken);
    expect(migrator).toMatchObject({ dialect: 'sqlite', location: file });
  });

  it('is filled by the in-memory store when database.url is memory (or memory:)', async () => {
    for (const url of ['memory', 'memory:', 'memory:scratch']) {
      await using kernel = installKernel({ url });
      expect((await kernel.services.get(StorageMigratorToken)).dialect, url).toBe('memory');
    }
  });

  it('is filled by PostgreSQL when database.url is postgres://…, which must be reachable', async () => {
    await using kernel = installKernel({ url: 'postgresql://nexus:pw@127.0.0.1:1/nexus' });
    await expect(kernel.services.get(StorageMigratorToken)).rejects.toThrow(/cannot connect to PostgreSQL at postgresql:\/\/nexus@127\.0\.0\.1:1\/nexus: .*ECONNREFUSED/);
  });

  it('refuses a database.url that names no supported database, saying which ones work', async () => {
    await using kernel = installKernel({ url: 'mysql://root@db/nexus' });
    await expect(kernel.services.get(StorageMigratorToken)).rejects.toThrow(
      'database.url "mysql:…" names no database Nexus supports; use postgres://… for PostgreSQL or CockroachDB, memory for in-memory, or leave it empty for SQLite',
    );
  });
});

describe('storage-sqlite', () => {
  it('keeps its file at <home>/data/nexus.db unless database.path says otherwise', () => {
    expect(sqliteFile(SETTINGS, '/srv/nexus')).toBe('/srv/nexus/data/nexus.db');
    expect(sqliteFile({ ...SETTINGS, path: 'db/chat.sqlite' }, '/srv/nexus')).toBe('/srv/nexus/db/chat.sqlite');
    expect(sqliteFile({ ...SETTINGS, path: '/var/lib/nexus.db' }, '/srv/nexus')).toBe('/var/lib/nexus.db');
  });

  it('creates the folder and a file only its owner can read, in WAL mode, migrated on open', async () => {
    const file = join(tempDir(), 'deep', 'er', 'nexus.db');
    await using kernel = installKernel({ path: file });
    const stores = await storesOf(kernel);
    await stores.sessions.create({ agentId: 'a', channel: 'c', key: 'a:c:1' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
    const Database = (await import('../../../src/builtin-plugins/storage-sqlite/sqlite-driver.js')).betterSqlite3();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('leaves migrations pending with auto_migrate false, and its stores say so', async () => {
    await using kernel = installKernel({ path: join(tempDir(), 'nexus.db'), auto_migrate: false });
    expect((await (await kernel.services.get(StorageMigratorToken)).status()).pending).toHaveLength(5);
    await expect(kernel.services.get(SessionStoreToken)).rejects.toMatchObject({ code: 'pending' });
  });

  it('fails to open a file that is not a SQLite database, saying which file', async () => {
    const file = join(tempDir(), 'nexus.db');
    writeFileSync(file, 'these are my notes, not a database '.repeat(200));
    await using kernel = installKernel({ path: file });
    await expect(kernel.services.get(StorageMigratorToken)).rejects.toThrow(`cannot use the SQLite database ${file}: file is not a database; is it a Nexus database, and not corrupted?`);
    expect(readFileSync(file, 'utf8')).toMatch(/^these are my notes/);
  });
});

describe('database-probe', () => {
  async function probe(kernel: TestKernel, live: boolean) {
    const check = await kernel.contributions.get(DoctorChecks, 'database-probe');
    return check.run({ signal: AbortSignal.timeout(15_000), probe: live });
  }

  it('does not touch the database without --probe', async () => {
    const file = join(tempDir(), 'nexus.db');
    await using kernel = installKernel({ path: file });
    expect(await probe(kernel, false)).toEqual([{ level: 'info', message: `SQLite at ${file}; not contacted (run doctor with --probe)` }]);
    expect(() => statSync(file)).toThrow();
  });

  it('reports a reachable, current database as fine', async () => {
    const file = join(tempDir(), 'nexus.db');
    await using kernel = installKernel({ path: file });
    expect(await probe(kernel, true)).toEqual([{ level: 'info', message: `SQLite at ${file} answers; 5 migrations applied, none pending` }]);
  });

  it('fails for an unreachable server, without printing its password', async () => {
    await using kernel = installKernel({ url: 'postgres://nexus:sekret-pass@127.0.0.1:1/nexus' });
    const [finding, ...rest] = await probe(kernel, true);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ level: 'error', hint: 'check database.url (or database.path) and that the database is reachable' });
    expect(finding!.message).toMatch(/^cannot open the database at postgres:\/\/nexus@127\.0\.0\.1:1\/nexus: /);
    expect(JSON.stringify(finding)).not.toContain('sekret-pass');
  });

  it.skipIf(postgresSkipReason())('fails while PostgreSQL migrations are pending, pointing at nexus migrate up', async () => {
    await using kernel = installKernel({ url: await freshDatabase('probe') });
    expect(await probe(kernel, true)).toEqual([
      {
        level: 'error',
        message: expect.stringMatching(/^PostgreSQL at postgres:\/\/.*: 5 migration\(s\) pending \(core\/0001_sessions, core\/0002_accounts, core\/0003_owners_and_roles, core\/0004_inbound_receipts, core\/0005_channel_pairings\); the gateway will not start until they are applied$/),
        hint: 'run `nexus migrate up`',
      },
    ]);
  });
});
