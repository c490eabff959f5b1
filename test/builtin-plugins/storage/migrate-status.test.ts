import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StorageMigratorToken } from '@nexus/plugin-sdk';
import { snapshot, tableNames } from './database-snapshot.js';
import { freshDatabase, postgresSkipReason } from './postgres-test-kit.js';
import { CORE_NAMES, postgresPluginDir, runMigrate, sqlitePluginDir, storeKernel, tempDir } from './storage-test-kit.js';

interface Backend {
  readonly name: string;
  readonly skip: string | undefined;
  readonly plugin: string;
  /** A fresh, empty database that migrates by itself (SQLite by default, PostgreSQL when told). */
  fresh(): Promise<Record<string, unknown>>;
}

const backends: Backend[] = [
  { name: 'SQLite', skip: undefined, plugin: sqlitePluginDir, fresh: async () => ({ path: join(tempDir(), 'nexus.db') }) },
  { name: 'PostgreSQL', skip: postgresSkipReason(), plugin: postgresPluginDir, fresh: async () => ({ url: await freshDatabase('status'), auto_migrate: true, max_connections: 2 }) },
];

/** Runs `nexus migrate <argv>` in a kernel of its own, as a separate CLI run would, and stops it. */
async function migrate(backend: Backend, database: Record<string, unknown>, argv: readonly string[]) {
  await using kernel = storeKernel(backend.plugin, database);
  return await runMigrate(kernel, argv);
}

describe.each(backends)('nexus migrate status on $name', (backend) => {
  it.skipIf(backend.skip)('creates no table on a database nothing has touched, though the store migrates by itself', async () => {
    const database = await backend.fresh();
    const run = await migrate(backend, database, ['status', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { pending: { name: string }[] }).pending.map((m) => m.name)).toEqual(CORE_NAMES);
    expect(await tableNames(database)).toEqual([]);
  });

  it.skipIf(backend.skip)('changes nothing on a database with migrations pending: not one row, table or byte', async () => {
    const database = await backend.fresh();
    {
      await using kernel = storeKernel(backend.plugin, { ...database, auto_migrate: false });
      await (await kernel.services.get(StorageMigratorToken)).up(1);
    }
    const before = await snapshot(database);
    for (const argv of [['status'], ['status', '--json']]) {
      const run = await migrate(backend, database, argv);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/pending/);
    }
    expect(await snapshot(database)).toBe(before);
  });

  it.skipIf(backend.skip)('changes nothing after `down` paused automatic migration, and says it is paused', async () => {
    const database = await backend.fresh();
    expect((await migrate(backend, database, ['up'])).code).toBe(0);
    expect((await migrate(backend, database, ['down', '--yes'])).code).toBe(0);
    const before = await snapshot(database);
    const run = await migrate(backend, database, ['status']);
    expect(run.stdout).toMatch(/\n {2}○ core\/0005_channel_pairings {2}pending\n/);
    expect(run.stdout).toMatch(/Automatic migration is paused since `nexus migrate down` at \d{4}-.*: what it reverted stays reverted until `nexus migrate up`\.\n$/);
    expect(JSON.parse((await migrate(backend, database, ['status', '--json'])).stdout)).toMatchObject({ autoMigratePausedSince: expect.stringMatching(/^\d{4}-/) });
    expect(await snapshot(database)).toBe(before);
  });
});
