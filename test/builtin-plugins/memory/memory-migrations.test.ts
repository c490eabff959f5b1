import { describe, expect, it } from 'vitest';
import { MEMORY_MIGRATIONS } from '../../../src/builtin-plugins/memory/sql/index.js';
import { planMigrations } from '../../../plugin-sdk/src/storage-sql/migrations/index.js';
import { onCleanup } from './memory-test-kit.js';
import { applyMigrations, revertMigrations, sqliteTestClient } from './sql-test-clients.js';

describe('the memory migrations', () => {
  it('form a set the storage migrator plans for both dialects, under the plugin id', () => {
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const plan = planMigrations(dialect, [{ name: 'memory', pluginId: 'memory', value: { migrations: MEMORY_MIGRATIONS } }]);
      expect(plan.filter((m) => m.namespace === 'memory').map((m) => m.name)).toEqual(['memory/0001_memory_index', 'memory/0002_memory_flushes']);
    }
  });

  it('prefix every table with memory_', () => {
    for (const migration of MEMORY_MIGRATIONS) {
      const up = typeof migration.up === 'string' ? migration.up : `${migration.up.sqlite}\n${migration.up.postgres}`;
      for (const [, table] of up.matchAll(/CREATE (?:VIRTUAL )?TABLE (\w+)/g)) expect(table).toMatch(/^memory_/);
    }
  });

  it('go down and up again on SQLite, also after sqlite-vec made its table', async () => {
    const sql = sqliteTestClient();
    onCleanup(() => sql.close());
    await applyMigrations(sql);
    const sqliteVec = (await import('sqlite-vec')) as { getLoadablePath(): string };
    sql.loadExtension!(sqliteVec.getLoadablePath());
    await sql.run('CREATE VIRTUAL TABLE memory_vec USING vec0(embedding float[4] distance_metric=cosine)');
    await revertMigrations(sql);
    // The sqlite-vec table stays (dropping it needs the extension); the engine rebuilds it when it differs.
    expect((await sql.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'memory_%' AND name NOT LIKE 'memory_vec_%'")).map((r) => r.name)).toEqual(['memory_vec']);
    await applyMigrations(sql);
  });

  it('keep the FTS5 index in step with the chunks through inserts, updates and deletes', async () => {
    const sql = sqliteTestClient();
    onCleanup(() => sql.close());
    await applyMigrations(sql);
    await sql.run("INSERT INTO memory_files (path, kind, hash, size, mtime_ms, evergreen, file_date, chunking, indexed_at) VALUES ('m.md', 'memory', 'h', 1, 1, 1, NULL, 'k', 1)");
    await sql.run("INSERT INTO memory_chunks (id, path, seq, hash, start_line, end_line, text) VALUES (1, 'm.md', 0, 'h', 1, 1, 'apples and pears')");
    const match = (term: string) => sql.all<{ rowid: number }>('SELECT rowid FROM memory_chunks_fts WHERE memory_chunks_fts MATCH ?', [term]);
    expect(await match('apples')).toEqual([{ rowid: 1 }]);
    await sql.run("UPDATE memory_chunks SET text = 'plums' WHERE id = 1");
    expect(await match('apples')).toEqual([]);
    expect(await match('plums')).toEqual([{ rowid: 1 }]);
    await sql.run('DELETE FROM memory_chunks WHERE id = 1');
    expect(await match('plums')).toEqual([]);
  });
});
