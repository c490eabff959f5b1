import { hostname } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ApiKeyStoreToken, GATEWAY_LEASE_STALE_MS, SafeguardStoreToken, SessionStoreToken, StorageMigratorToken } from '@nexus/plugin-sdk';
import { startGateway } from '../gateway/gateway-test-kit.js';
import { snapshot, tableNames } from './database-snapshot.js';
import { freshDatabase, postgresSkipReason } from './postgres-test-kit.js';
import { postgresPluginDir, runMigrate, sqlitePluginDir, storeKernel, tempDir, type CommandRun } from './storage-test-kit.js';
import type { TestKernel } from '../../../src/kernel/testing/index.js';
import { runCommandLine } from '../../helpers/command-line.js';

/** A terminal the operator types `answer` into. */
function terminal(answer: string): NodeJS.ReadableStream & { isTTY: boolean } {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  input.end(`${answer}\n`);
  return input;
}

/** `nexus migrate <argv>` with a terminal on stdin. */
async function runOnTerminal(kernel: TestKernel, argv: readonly string[], answer: string): Promise<CommandRun> {
  return runCommandLine(kernel, 'migrate', argv, { stdin: terminal(answer) });
}

/** A migrated SQLite database holding two API keys and a session. */
async function populated(): Promise<{ readonly path: string }> {
  const database = { path: join(tempDir(), 'nexus.db') };
  await using kernel = storeKernel(sqlitePluginDir, database);
  const keys = await kernel.services.get(ApiKeyStoreToken);
  await keys.create({ name: 'ops', userId: 'ops', key: 'ops-key-0123456789abcdef', role: 'admin' });
  await keys.create({ name: 'app', userId: 'alice', key: 'app-key-0123456789abcdef' });
  await (await kernel.services.get(SessionStoreToken)).create({ agentId: 'main', channel: 'api', key: 'main:api:alice', ownerId: 'alice' });
  return database;
}

describe('nexus migrate down', () => {
  it('lists the migrations it would revert and the tables they drop, with their rows, and without a terminal or --yes changes nothing', async () => {
    const database = await populated();
    const before = await snapshot(database);
    {
      await using kernel = storeKernel(sqlitePluginDir, database);
      const run = await runMigrate(kernel, ['down', '-n', '4']);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe(
        [
          `This reverts 4 migrations of SQLite at ${database.path}, most recent first:`,
          '  ↶ core/0005_channel_pairings',
          '      drops table channel_pairings (0 rows)',
          '  ↶ core/0004_inbound_receipts',
          '      drops table inbound_receipts (0 rows)',
          '  ↶ core/0003_owners_and_roles',
          '      ALTER TABLE api_keys DROP COLUMN role',
          '      ALTER TABLE agents DROP COLUMN shared',
          '      DROP INDEX sessions_by_owner',
          '      ALTER TABLE sessions DROP COLUMN owner_id',
          '  ↶ core/0002_accounts',
          '      drops table api_keys (2 rows)',
          '      drops table channel_connections (0 rows)',
          '      drops table agents (0 rows)',
          '      drops table user_identities (0 rows)',
          '      drops table users (0 rows)',
          'What is dropped is gone for good: back the database up first if you may need it.',
          '',
        ].join('\n'),
      );
      expect(run.stderr).toBe('nexus migrate down: refusing to drop data without confirmation: stdin is not a terminal; read the list above, then run again with --yes\n');
    }
    expect(await snapshot(database)).toBe(before);
  });

  it('asks on a terminal, and reverts only on yes', async () => {
    const database = await populated();
    const before = await snapshot(database);
    {
      await using kernel = storeKernel(sqlitePluginDir, database);
      const no = await runOnTerminal(kernel, ['down'], 'n');
      expect(no.code).toBe(1);
      expect(no.stdout).toMatch(/ {2}↶ core\/0005_channel_pairings\n[\s\S]*Revert it\? \[y\/N\] Nothing reverted\.\n$/);
    }
    expect(await snapshot(database)).toBe(before);
    await using kernel = storeKernel(sqlitePluginDir, database);
    const yes = await runOnTerminal(kernel, ['down'], 'yes');
    expect(yes.code, yes.stderr).toBe(0);
    expect(yes.stdout).toMatch(/Revert it\? \[y\/N\] Reverted 1 migration of SQLite at .*:\n {2}↶ core\/0005_channel_pairings\n/);
  });

  it('does not let the store re-apply what it reverted by itself, until `migrate up`', async () => {
    const database = await populated();
    {
      await using kernel = storeKernel(sqlitePluginDir, database);
      const run = await runMigrate(kernel, ['down', '-n', '4', '--yes']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Reverted 4 migrations .*\n {2}↶ core\/0005_channel_pairings\n {2}↶ core\/0004_inbound_receipts\n {2}↶ core\/0003_owners_and_roles\n {2}↶ core\/0002_accounts\nThe store will not re-apply them by itself: run `nexus migrate up` when you want them back\.\n$/);
    }
    expect(await tableNames(database)).not.toContain('api_keys');
    {
      // The next command that uses data (nexus auth, nexus serve) finds the schema behind and says why.
      await using kernel = storeKernel(sqlitePluginDir, database);
      await expect(kernel.services.get(ApiKeyStoreToken)).rejects.toMatchObject({
        code: 'pending',
        message: expect.stringMatching(/4 migration\(s\) pending .*`nexus migrate down` reverted migrations at \d{4}-.*, so they are not re-applied by themselves: run `nexus migrate up`/),
      });
    }
    expect(await tableNames(database)).not.toContain('api_keys');
    await using kernel = storeKernel(sqlitePluginDir, database);
    expect((await runMigrate(kernel, ['up'])).code).toBe(0);
    await using after = storeKernel(sqlitePluginDir, database);
    expect(await (await after.services.get(ApiKeyStoreToken)).list()).toEqual([]);
  });

  it('refuses while a gateway serves from the database, naming it, and goes ahead once it stopped', async () => {
    const database = await populated();
    const gateway = await startGateway({ with: [sqlitePluginDir], settings: { database } });
    {
      await using kernel = storeKernel(sqlitePluginDir, database);
      const run = await runMigrate(kernel, ['down', '--yes']);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        new RegExp(
          `^nexus migrate down: refusing: a gateway serves from this database, and reverting would drop tables under it:\\n {2}pid ${process.pid} on ${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, listening on 127\\.0\\.0\\.1:${gateway.port}, started \\d{4}-.*, last seen \\d+ s ago\\nStop it first`,
        ),
      );
      expect((await (await kernel.services.get(StorageMigratorToken)).status()).pending).toEqual([]);
    }
    await gateway.kernel.stop();
    await using kernel = storeKernel(sqlitePluginDir, database);
    // Stopping released the lease.
    expect(await (await kernel.services.get(SafeguardStoreToken)).gatewayLeases()).toEqual([]);
    const run = await runMigrate(kernel, ['down', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Reverted 1 migration/);
  });

  it('ignores, and clears, the leases of gateways that died without releasing them', async () => {
    const database = await populated();
    await using kernel = storeKernel(sqlitePluginDir, database);
    const safeguards = await kernel.services.get(SafeguardStoreToken);
    const lease = { host: 'elsewhere', pid: 1234, address: '10.0.0.5:50051', startedAt: Date.now() - 3_600_000 };
    // Another machine's gateway that stopped renewing, and one here whose process is gone.
    await safeguards.renewGatewayLease({ ...lease, id: '0190a4d2-0000-7000-8000-000000000001' }, Date.now() - GATEWAY_LEASE_STALE_MS - 1_000);
    await safeguards.renewGatewayLease({ ...lease, id: '0190a4d2-0000-7000-8000-000000000002', host: hostname(), pid: 2 ** 22 + 17 }, Date.now());
    // A live one on another machine blocks.
    await safeguards.renewGatewayLease({ ...lease, id: '0190a4d2-0000-7000-8000-000000000003' }, Date.now());
    expect((await runMigrate(kernel, ['down', '--yes'])).stderr).toMatch(/a gateway serves from this database.*\n {2}pid 1234 on elsewhere, listening on 10\.0\.0\.5:50051/);

    await safeguards.releaseGatewayLease('0190a4d2-0000-7000-8000-000000000003');
    const run = await runMigrate(kernel, ['down', '--yes']);
    expect(run.code, run.stderr).toBe(0);
    expect(await safeguards.gatewayLeases()).toEqual([]);
  });

  it.skipIf(postgresSkipReason())('refuses on PostgreSQL too while a gateway leases the database', async () => {
    const database = { url: await freshDatabase('down'), max_connections: 2 };
    await using kernel = storeKernel(postgresPluginDir, database);
    expect((await runMigrate(kernel, ['up'])).code).toBe(0);
    await (await kernel.services.get(SafeguardStoreToken)).renewGatewayLease({ id: '0190a4d2-0000-7000-8000-000000000009', host: 'db-client-2', pid: 77, address: '10.1.2.3:50051', startedAt: Date.now() }, Date.now());
    const before = await snapshot(database);
    const run = await runMigrate(kernel, ['down', '--yes']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refusing: a gateway serves from this database[\s\S]*pid 77 on db-client-2, listening on 10\.1\.2\.3:50051/);
    expect(await snapshot(database)).toBe(before);
  });
});
