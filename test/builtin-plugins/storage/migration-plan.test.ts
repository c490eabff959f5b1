import { describe, expect, it } from 'vitest';
import { checksumOf, planMigrations, splitStatements } from '@nexus/plugin-sdk/storage-sql';
import type { Contribution, MigrationSet } from '@nexus/plugin-sdk';

const set = (pluginId: string, migrations: unknown, name = pluginId): Contribution<MigrationSet> => ({ name, pluginId, value: { migrations } as MigrationSet });

describe('migration plan', () => {
  it('puts core first, then each plugin by id, each namespace ordered by migration id', () => {
    const plan = planMigrations('sqlite', [
      set('zeta', [{ id: '0002_b', up: 'SELECT 2;', down: 'SELECT 2;' }, { id: '0001_a', up: 'SELECT 1;', down: 'SELECT 1;' }]),
      set('alpha', [{ id: '0001_x', up: 'SELECT 1;', down: 'SELECT 1;' }]),
    ]);
    expect(plan.map((m) => m.name)).toEqual(['core/0001_sessions', 'core/0002_accounts', 'core/0003_owners_and_roles', 'core/0004_inbound_receipts', 'core/0005_channel_pairings', 'alpha/0001_x', 'zeta/0001_a', 'zeta/0002_b']);
  });

  it('uses the SQL of the dialect at hand, and checksums what that dialect runs', () => {
    const migrations = [{ id: '0001', up: { sqlite: 'CREATE TABLE t (a INTEGER);', postgres: 'CREATE TABLE t (a BIGINT);' }, down: 'DROP TABLE t;' }];
    const [sqlite] = planMigrations('sqlite', [set('p', migrations)]).slice(-1);
    const [postgres] = planMigrations('postgres', [set('p', migrations)]).slice(-1);
    expect(sqlite!.up).toBe('CREATE TABLE t (a INTEGER);');
    expect(postgres!.up).toBe('CREATE TABLE t (a BIGINT);');
    expect(sqlite!.checksum).not.toBe(postgres!.checksum);
    expect(sqlite!.checksum).toBe(checksumOf('CREATE TABLE t (a INTEGER);'));
  });

  it('does not count line endings and surrounding blank space as an edit', () => {
    expect(checksumOf('CREATE TABLE t (a TEXT);\r\nSELECT 1;\r\n')).toBe(checksumOf('\n  CREATE TABLE t (a TEXT);\nSELECT 1;'));
    expect(checksumOf('CREATE TABLE t (a TEXT);')).not.toBe(checksumOf('CREATE TABLE t (b TEXT);'));
  });

  it('refuses a set under the reserved core name or under another name than its plugin id', () => {
    expect(() => planMigrations('sqlite', [set('core', [])])).toThrow(expect.objectContaining({ code: 'invalid', message: 'plugin core contributes migrations under the reserved name "core"; use its plugin id' }));
    expect(() => planMigrations('sqlite', [set('cron', [], 'jobs')])).toThrow('plugin cron contributes migrations under "jobs"; migrations are namespaced by plugin id, so name them "cron"');
  });

  it('refuses malformed migrations, naming the plugin', () => {
    expect(() => planMigrations('sqlite', [set('p', undefined)])).toThrow('plugin p contributes a migration set without a migrations array');
    expect(() => planMigrations('sqlite', [set('p', [{ id: 'has space', up: 'x', down: 'x' }])])).toThrow('plugin p has a migration (#1) whose id "has space" is not letters');
    expect(() => planMigrations('sqlite', [set('p', [{ id: 'a', up: 'x', down: 'x' }, { id: 'a', up: 'y', down: 'y' }])])).toThrow('plugin p has two migrations with the id "a"');
    expect(() => planMigrations('postgres', [set('p', [{ id: 'a', up: { sqlite: 'x' }, down: 'x' }])])).toThrow('plugin p has no postgres SQL for p/a up; give a string, or { sqlite, postgres }');
    expect(() => planMigrations('sqlite', [set('p', [{ id: 'a', up: 'x', down: '  ' }])])).toThrow('plugin p has no sqlite SQL for p/a down');
  });

  it('splits statements at semicolons that end a line, skipping comment-only chunks', () => {
    expect(splitStatements("-- header\nCREATE TABLE a (x TEXT DEFAULT ';');\nINSERT INTO a VALUES ('1;2');  \n-- trailing comment\n")).toEqual([
      "-- header\nCREATE TABLE a (x TEXT DEFAULT ';')",
      "INSERT INTO a VALUES ('1;2')",
    ]);
  });
});
