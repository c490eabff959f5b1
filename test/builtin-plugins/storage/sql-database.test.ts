import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqlDatabaseToken, type SqlDatabase } from '@nexus/plugin-sdk';
import { numberedPlaceholders } from '../../../plugin-sdk/src/storage-sql/sql/sql-client.js';
import { freshDatabase, postgresSkipReason } from './postgres-test-kit.js';
import { memoryPluginDir, postgresPluginDir, sqlitePluginDir, storeKernel, tempDir } from './storage-test-kit.js';

/** What a plugin with tables of its own does with the service: create, write, read, roll back. */
async function exercise(sql: SqlDatabase): Promise<void> {
  await sql.run('CREATE TABLE probe_items (id INTEGER PRIMARY KEY, label TEXT NOT NULL)');
  expect(await sql.run('INSERT INTO probe_items (id, label) VALUES (?, ?), (?, ?)', [1, 'one', 2, "it's two"])).toEqual({ changes: 2 });
  expect(await sql.all('SELECT id, label FROM probe_items WHERE label <> ? ORDER BY id', ['?'])).toEqual([
    { id: 1, label: 'one' },
    { id: 2, label: "it's two" },
  ]);
  // A claim: only the first insert of a key wins, as cron's exactly-once runs rely on.
  const claim = () => sql.all('INSERT INTO probe_items (id, label) VALUES (?, ?) ON CONFLICT (id) DO NOTHING RETURNING id', [3, 'three']);
  expect(await claim()).toEqual([{ id: 3 }]);
  expect(await claim()).toEqual([]);
  await expect(
    sql.transaction(async (tx) => {
      await tx.run('UPDATE probe_items SET label = ? WHERE id = ?', ['changed', 1]);
      await tx.transaction((inner) => inner.run('DELETE FROM probe_items WHERE id = ?', [2]));
      throw new Error('roll it back');
    }),
  ).rejects.toThrow('roll it back');
  expect(await sql.all('SELECT id, label FROM probe_items ORDER BY id')).toEqual([
    { id: 1, label: 'one' },
    { id: 2, label: "it's two" },
    { id: 3, label: 'three' },
  ]);
  expect(await sql.transaction(async (tx) => (await tx.run('DELETE FROM probe_items WHERE id = ?', [3])).changes)).toBe(1);
}

describe('the SQL database service', () => {
  it('runs plain SQL with ? placeholders on SQLite, in transactions, and can load extensions', async () => {
    await using kernel = storeKernel(sqlitePluginDir, { path: join(tempDir(), 'nexus.db') });
    const sql = await kernel.services.get(SqlDatabaseToken);
    expect(sql.dialect).toBe('sqlite');
    expect(typeof sql.loadExtension).toBe('function');
    await exercise(sql);
  });

  it.skipIf(postgresSkipReason())('runs the same SQL on PostgreSQL, with ? rewritten to numbered parameters', async () => {
    await using kernel = storeKernel(postgresPluginDir, { url: await freshDatabase('sql_service'), auto_migrate: true });
    const sql = await kernel.services.get(SqlDatabaseToken);
    expect(sql.dialect).toBe('postgres');
    expect(sql.loadExtension).toBeUndefined();
    await exercise(sql);
  });

  it('is not offered by the in-memory store, which has no SQL', async () => {
    await using kernel = storeKernel(memoryPluginDir, { url: 'memory' });
    expect(kernel.services.has(SqlDatabaseToken)).toBe(false);
  });

  it('numbers placeholders outside quotes and comments only', () => {
    expect(numberedPlaceholders(`SELECT '?', "a?" FROM t WHERE a = ? AND b = ? -- why?\n AND c = ?`)).toBe(`SELECT '?', "a?" FROM t WHERE a = $1 AND b = $2 -- why?\n AND c = $3`);
  });
});
