import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshDatabase, postgresSkipReason } from './postgres-test-kit.js';
import { CORE_NAMES, memoryPluginDir, NOTES_NAMES, notesKernel, postgresPluginDir, runMigrate, sqlitePluginDir, storeKernel, tempDir } from './storage-test-kit.js';

const ALL = [...CORE_NAMES, ...NOTES_NAMES];

describe('nexus migrate', () => {
  const sqlite = () => ({ path: join(tempDir(), 'nexus.db'), auto_migrate: false });

  it('prints status as JSON: applied and pending, each with its checksum', async () => {
    const database = sqlite();
    await using kernel = notesKernel(sqlitePluginDir, database);
    const run = await runMigrate(kernel, ['status', '--json']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const status = JSON.parse(run.stdout) as { dialect: string; location: string; applied: unknown[]; pending: { name: string; checksum: string }[]; tampered?: unknown };
    expect(status).toMatchObject({ dialect: 'sqlite', location: database.path, applied: [] });
    expect(status.pending.map((m) => m.name)).toEqual(ALL);
    expect(status.pending.every((m) => /^[0-9a-f]{64}$/.test(m.checksum))).toBe(true);
    expect(status).not.toHaveProperty('tampered');
  });

  it('applies the next N with up -n, then the rest, and lists them in status', async () => {
    const database = sqlite();
    await using kernel = notesKernel(sqlitePluginDir, database);
    expect(await runMigrate(kernel, ['up', '-n', '1'])).toEqual({ code: 0, stderr: '', stdout: `Applied 1 migration to SQLite at ${database.path}:\n  ✓ core/0001_sessions\n` });
    expect((await runMigrate(kernel, ['up'])).stdout).toBe(`Applied 6 migrations to SQLite at ${database.path}:\n  ✓ core/0002_accounts\n  ✓ core/0003_owners_and_roles\n  ✓ core/0004_inbound_receipts\n  ✓ core/0005_channel_pairings\n  ✓ notes/0001_notes\n  ✓ notes/0002_tags\n`);
    expect((await runMigrate(kernel, ['up'])).stdout).toBe(`Nothing to apply: the schema of SQLite at ${database.path} is current.\n`);
    const status = await runMigrate(kernel, ['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^Migrations of SQLite at ${database.path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\n`));
    expect(status.stdout).toMatch(/ {2}✓ core\/0001_sessions {10}applied \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\n/);
    expect(status.stdout).toMatch(/\n {2}✓ notes\/0002_tags {13}applied /);
    expect(status.stdout.endsWith('7 applied, 0 pending.\n')).toBe(true);
  });

  it('reverts one migration with down, and N with down -n N', async () => {
    await using kernel = notesKernel(sqlitePluginDir, sqlite());
    await runMigrate(kernel, ['up']);
    expect((await runMigrate(kernel, ['down', '--yes'])).stdout).toMatch(/\nReverted 1 migration of SQLite at .*:\n {2}↶ notes\/0002_tags\n/);
    const json = await runMigrate(kernel, ['down', '--count=4', '--json', '-y']);
    expect((JSON.parse(json.stdout) as { reverted: { name: string }[] }).reverted.map((m) => m.name)).toEqual(['notes/0001_notes', 'core/0005_channel_pairings', 'core/0004_inbound_receipts', 'core/0003_owners_and_roles']);
    const status = await runMigrate(kernel, ['status']);
    expect(status.stdout).toContain('  ○ core/0003_owners_and_roles  pending');
    expect(status.stdout).toContain('2 applied, 5 pending.\n');
  });

  it('shows an edited migration in status and exits 1; up refuses, naming it', async () => {
    const database = sqlite();
    {
      await using original = notesKernel(sqlitePluginDir, database);
      await runMigrate(original, ['up']);
    }
    await using edited = notesKernel(sqlitePluginDir, database, 'edited');
    const status = await runMigrate(edited, ['status']);
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/ {2}✗ notes\/0001_notes {12}applied .*, edited since \(checksum differs\)\n/);
    expect(status.stdout).toContain('7 applied, 0 pending, 1 edited after being applied (restore the original SQL).');
    const json = JSON.parse((await runMigrate(edited, ['status', '--json'])).stdout) as { tampered: { name: string }[] };
    expect(json.tampered.map((m) => m.name)).toEqual(['notes/0001_notes']);
    const up = await runMigrate(edited, ['up']);
    expect(up).toMatchObject({ code: 1, stdout: '' });
    expect(up.stderr).toMatch(/^nexus migrate up: refusing to apply anything: notes\/0001_notes was edited after being applied/);
  });

  it('exits 2 with usage for bad arguments, and 0 for --help', async () => {
    await using kernel = notesKernel(sqlitePluginDir, sqlite());
    for (const [argv, says] of [
      [[], 'migrate: name a sub-command: up, down or status; see `nexus help migrate`'],
      [['sideways'], 'migrate: unknown sub-command "sideways"; use up, down or status; see `nexus help migrate`'],
      [['up', '-n', '0'], 'migrate up: --count needs a whole number of at least 1, not 0; see `nexus help migrate up`'],
      [['up', '-n', 'abc'], "migrate up: option '-n, --count <N>' argument 'abc' is invalid: expected a whole number; see `nexus help migrate up`"],
      [['down', '-n'], "migrate down: option '-n, --count <N>' argument missing; see `nexus help migrate down`"],
      [['status', '-n', '2'], "migrate status: unknown option '-n'; see `nexus help migrate status`"],
      [['up', 'extra'], "migrate up: too many arguments for 'up': expected 0 arguments but got 1; see `nexus help migrate up`"],
    ] as const) {
      const run = await runMigrate(kernel, argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toBe(`nexus ${says} (plugin storage)\n`);
    }
    const help = await runMigrate(kernel, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/status \[options\] +list applied, pending and edited migrations/);
    const down = await runMigrate(kernel, ['down', '--help']);
    expect(down.stdout).toMatch(/-n, --count <N> +revert the last N \(at least 1\) \(default: 1\)/);
  });

  it('says there is nothing to migrate for the in-memory store', async () => {
    await using kernel = storeKernel(memoryPluginDir, { url: 'memory:' });
    expect(await runMigrate(kernel, ['status'])).toEqual({ code: 0, stderr: '', stdout: 'The in-memory store keeps nothing on disk: there is nothing to migrate.\n' });
    expect((await runMigrate(kernel, ['up'])).stdout).toBe('The in-memory store keeps nothing on disk: there is nothing to migrate.\n');
    expect(JSON.parse((await runMigrate(kernel, ['status', '--json'])).stdout)).toEqual({ dialect: 'memory', location: 'memory (kept only while the process runs)', applied: [], pending: [] });
  });

  it('exits 1 naming the server, without its password, when PostgreSQL is unreachable', async () => {
    await using kernel = storeKernel(postgresPluginDir, { url: 'postgres://nexus:sekret-pass@127.0.0.1:1/nexus' });
    const run = await runMigrate(kernel, ['status']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^nexus migrate: cannot open the database: .*cannot connect to PostgreSQL at postgres:\/\/nexus@127\.0\.0\.1:1\/nexus: .*ECONNREFUSED.*; check database.url and that the server is running and reachable/);
    expect(run.stderr).not.toContain('sekret-pass');
  });

  it.skipIf(postgresSkipReason())('migrates PostgreSQL, which does not migrate on open, after which its stores serve', async () => {
    await using kernel = notesKernel(postgresPluginDir, { url: await freshDatabase('cli') });
    const before = JSON.parse((await runMigrate(kernel, ['status', '--json'])).stdout) as { dialect: string; pending: { name: string }[] };
    expect(before.dialect).toBe('postgres');
    expect(before.pending.map((m) => m.name)).toEqual(ALL);
    const up = await runMigrate(kernel, ['up']);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/^Applied 7 migrations to PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:5432\/nexus_test_/);
    const { SessionStoreToken } = await import('@nexus/plugin-sdk');
    const sessions = await kernel.services.get(SessionStoreToken);
    expect((await sessions.create({ agentId: 'a', channel: 'c', key: 'a:c:pg' })).key).toBe('a:c:pg');
  });
});
