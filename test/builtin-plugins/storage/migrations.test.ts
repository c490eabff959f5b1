import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionStoreToken, StorageMigratorToken, type MigrationInfo } from '@nexus/plugin-sdk';
import { postgresSkipReason, query, freshDatabase } from './postgres-test-kit.js';
import { CORE_NAMES, NOTES_NAMES, notesKernel, postgresPluginDir, sqlitePluginDir, tempDir, type NotesVariant } from './storage-test-kit.js';
import type { TestKernel } from '../../../src/kernel/testing/index.js';

const ALL = [...CORE_NAMES, ...NOTES_NAMES];
const names = (list: readonly MigrationInfo[]) => list.map((m) => m.name);

interface Backend {
  readonly name: string;
  readonly skip: string | undefined;
  /** Settings for a fresh, empty database that does not migrate on open. */
  fresh(): Promise<Record<string, unknown>>;
  /** The names of the tables in that database. */
  tables(database: Record<string, unknown>): Promise<string[]>;
  /** Runs statements on that database, as another program would. */
  exec(database: Record<string, unknown>, statements: readonly string[]): Promise<void>;
  readonly plugin: string;
}

const sqlite: Backend = {
  name: 'SQLite',
  skip: undefined,
  plugin: sqlitePluginDir,
  fresh: async () => ({ path: join(tempDir(), 'nexus.db'), auto_migrate: false }),
  tables: async (database) => {
    const Database = (await import('../../../src/builtin-plugins/storage-sqlite/sqlite-driver.js')).betterSqlite3();
    const db = new Database(database.path as string, { readonly: true });
    try {
      return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name);
    } finally {
      db.close();
    }
  },
  exec: async (database, statements) => {
    const Database = (await import('../../../src/builtin-plugins/storage-sqlite/sqlite-driver.js')).betterSqlite3();
    const db = new Database(database.path as string);
    try {
      for (const statement of statements) db.prepare(statement).run();
    } finally {
      db.close();
    }
  },
};

const postgres: Backend = {
  name: 'PostgreSQL',
  skip: postgresSkipReason(),
  plugin: postgresPluginDir,
  fresh: async () => ({ url: await freshDatabase('migrations'), max_connections: 4 }),
  tables: async (database) => (await query<{ tablename: string }>(database.url as string, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).map((r) => r.tablename),
  exec: async (database, statements) => {
    for (const statement of statements) await query(database.url as string, statement);
  },
};

describe.each([sqlite, postgres])('migrations on $name', (backend) => {
  const open = (database: Record<string, unknown>, variant: NotesVariant = 'original'): TestKernel => notesKernel(backend.plugin, database, variant);

  it.skipIf(backend.skip)('lists core and plugin migrations as pending on an empty database, and the stores refuse to serve, naming them', async () => {
    await using kernel = open(await backend.fresh());
    const migrator = await kernel.services.get(StorageMigratorToken);
    const status = await migrator.status();
    expect(names(status.pending)).toEqual(ALL);
    expect(status).toMatchObject({ applied: [], tampered: [], unknown: [] });
    await expect(kernel.services.get(SessionStoreToken)).rejects.toMatchObject({
      name: 'MigrationError',
      code: 'pending',
      migrations: ALL,
      message: expect.stringContaining('7 migration(s) pending (core/0001_sessions, core/0002_accounts, core/0003_owners_and_roles, core/0004_inbound_receipts, core/0005_channel_pairings, notes/0001_notes, notes/0002_tags); run `nexus migrate up`'),
    });
  });

  it.skipIf(backend.skip)('applies all pending migrations in order with their checksums, after which the stores serve', async () => {
    const database = await backend.fresh();
    await using kernel = open(database);
    const migrator = await kernel.services.get(StorageMigratorToken);
    const applied = await migrator.up();
    expect(names(applied)).toEqual(ALL);
    expect(applied.every((m) => /^[0-9a-f]{64}$/.test(m.checksum) && typeof m.appliedAt === 'number')).toBe(true);
    const status = await migrator.status();
    expect(names(status.applied)).toEqual(ALL);
    expect(status.applied.map((m) => m.checksum)).toEqual(applied.map((m) => m.checksum));
    expect(status.pending).toEqual([]);
    expect(await backend.tables(database)).toEqual(expect.arrayContaining(['sessions', 'messages', 'users', 'api_keys', 'notes_items', 'notes_tags', 'schema_migrations', 'schema_migrations_lock']));
    const sessions = await kernel.services.get(SessionStoreToken);
    expect((await sessions.create({ agentId: 'a', channel: 'c', key: 'a:c:1' })).key).toBe('a:c:1');
    expect(await migrator.up()).toEqual([]);
  });

  it.skipIf(backend.skip)('applies the next N with up(N), and reverts the most recent first with down', async () => {
    const database = await backend.fresh();
    await using kernel = open(database);
    const migrator = await kernel.services.get(StorageMigratorToken);
    expect(names(await migrator.up(1))).toEqual(['core/0001_sessions']);
    expect(names(await migrator.up(5))).toEqual(['core/0002_accounts', 'core/0003_owners_and_roles', 'core/0004_inbound_receipts', 'core/0005_channel_pairings', 'notes/0001_notes']);
    expect(names((await migrator.status()).pending)).toEqual(['notes/0002_tags']);
    await migrator.up();
    expect(names(await migrator.down())).toEqual(['notes/0002_tags']);
    expect(names(await migrator.down(4))).toEqual(['notes/0001_notes', 'core/0005_channel_pairings', 'core/0004_inbound_receipts', 'core/0003_owners_and_roles']);
    expect(await backend.tables(database)).not.toContain('channel_pairings');
    expect(await backend.tables(database)).not.toContain('notes_items');
    expect(await backend.tables(database)).not.toContain('inbound_receipts');
    expect(await backend.tables(database)).toContain('api_keys');
    expect(names(await migrator.down(10))).toEqual(['core/0002_accounts', 'core/0001_sessions']);
    expect(await migrator.down()).toEqual([]);
    // What no migration owns stays: the migrator's bookkeeping and the safeguards (with the pause down left).
    expect((await backend.tables(database)).sort()).toEqual(['nexus_safeguards', 'schema_migrations', 'schema_migrations_lock']);
    await expect(migrator.up(0)).rejects.toMatchObject({ code: 'invalid' });
  });

  it.skipIf(backend.skip)('reports a migration edited after it was applied, and refuses to go up or down past it', async () => {
    const database = await backend.fresh();
    {
      await using original = open(database);
      await (await original.services.get(StorageMigratorToken)).up(CORE_NAMES.length + 1);
    }
    await using edited = open(database, 'edited');
    const migrator = await edited.services.get(StorageMigratorToken);
    const status = await migrator.status();
    expect(names(status.tampered)).toEqual(['notes/0001_notes']);
    expect(names(status.pending)).toEqual(['notes/0002_tags']);
    await expect(migrator.up()).rejects.toMatchObject({ code: 'tampered', migrations: ['notes/0001_notes'], message: expect.stringContaining('refusing to apply anything: notes/0001_notes was edited after being applied') });
    await expect(migrator.down()).rejects.toMatchObject({ code: 'tampered', migrations: ['notes/0001_notes'] });
    await expect(edited.services.get(SessionStoreToken)).rejects.toMatchObject({ code: 'tampered' });
    expect(names((await migrator.status()).applied)).toEqual([...CORE_NAMES, 'notes/0001_notes']);
  });

  it.skipIf(backend.skip)('rolls a failing migration back whole, leaving no table and no record, and names it', async () => {
    const database = await backend.fresh();
    await using kernel = open(database, 'broken');
    const migrator = await kernel.services.get(StorageMigratorToken);
    const error = await migrator.up().then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ name: 'MigrationError', code: 'failed', migrations: ['notes/0003_broken'] });
    expect((error as Error).message).toMatch(/^migration notes\/0003_broken \(up\) failed at statement 2 of 2 \("INSERT INTO no_such_table VALUES \(1\)…"\): .*no_such_table.*; it was rolled back, nothing of it applied \(applied before it: core\/0001_sessions, core\/0002_accounts, core\/0003_owners_and_roles, core\/0004_inbound_receipts, core\/0005_channel_pairings, notes\/0001_notes, notes\/0002_tags\)$/);
    expect(await backend.tables(database)).not.toContain('notes_half');
    const status = await migrator.status();
    expect(names(status.applied)).toEqual(ALL);
    expect(names(status.pending)).toEqual(['notes/0003_broken']);
  });

  it.skipIf(backend.skip)('makes sessions stored before owners existed admin-only, and the oldest live API key the admin one', async () => {
    const database = await backend.fresh();
    const { storeKernel } = await import('./storage-test-kit.js');
    await using kernel = storeKernel(backend.plugin, database);
    const migrator = await kernel.services.get(StorageMigratorToken);
    expect(names(await migrator.up(2))).toEqual(['core/0001_sessions', 'core/0002_accounts']);
    // Rows as the code before 0003 wrote them.
    const now = backend.name === 'SQLite' ? String(Date.now()) : 'now()';
    await backend.exec(database, [
      `INSERT INTO sessions (id, agent_id, channel, session_key, metadata, created_at, updated_at) VALUES ('0190a4d2-0000-7000-8000-0000000000a1', 'main', 'api', 'main:api:bob', '{}', ${now}, ${now})`,
      `INSERT INTO agents (id, user_id, name, created_at, updated_at) VALUES ('0190a4d2-0000-7000-8000-0000000000b1', 'alice', 'private', ${now}, ${now})`,
      `INSERT INTO api_keys (id, name, user_id, key_hash, created_at, revoked_at) VALUES ('0190a4d2-0000-7000-8000-0000000000c1', 'gone', 'old', 'h1', ${now}, ${now})`,
      `INSERT INTO api_keys (id, name, user_id, key_hash, created_at) VALUES ('0190a4d2-0000-7000-8000-0000000000c2', 'first', 'ops', 'h2', ${now})`,
      `INSERT INTO api_keys (id, name, user_id, key_hash, created_at) VALUES ('0190a4d2-0000-7000-8000-0000000000c3', 'second', 'bob', 'h3', ${now})`,
    ]);
    expect(names(await migrator.up())).toEqual(['core/0003_owners_and_roles', 'core/0004_inbound_receipts', 'core/0005_channel_pairings']);

    const session = await (await kernel.services.get(SessionStoreToken)).get('0190a4d2-0000-7000-8000-0000000000a1');
    expect(session).not.toHaveProperty('ownerId');
    const { AgentStoreToken, ApiKeyStoreToken } = await import('@nexus/plugin-sdk');
    expect((await (await kernel.services.get(AgentStoreToken)).get('0190a4d2-0000-7000-8000-0000000000b1')).shared).toBe(false);
    expect((await (await kernel.services.get(ApiKeyStoreToken)).list()).map((k) => [k.name, k.role])).toEqual([
      ['gone', 'user'],
      ['first', 'admin'],
      ['second', 'user'],
    ]);
  });

  it.skipIf(backend.skip)('reports applied migrations of a plugin that is gone as unknown, and will not revert them blind', async () => {
    const database = await backend.fresh();
    {
      await using withNotes = open(database);
      await (await withNotes.services.get(StorageMigratorToken)).up();
    }
    const { storeKernel } = await import('./storage-test-kit.js');
    await using withoutNotes = storeKernel(backend.plugin, database);
    const migrator = await withoutNotes.services.get(StorageMigratorToken);
    const status = await migrator.status();
    expect(names(status.unknown)).toEqual(NOTES_NAMES);
    expect(status.pending).toEqual([]);
    await withoutNotes.services.get(SessionStoreToken);
    await expect(migrator.down()).rejects.toMatchObject({ code: 'missing', migrations: ['notes/0002_tags'], message: expect.stringContaining('no enabled plugin contributes it any more') });
  });
});
