import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PassThrough } from 'node:stream';
import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiKeyStoreToken } from '@nexus/plugin-sdk';
import type { TestKernel } from '../../../src/kernel/testing/index.js';
import { apiKeyStore, call, createApiKey, failure, gatewayKernel, JWT_SECRET, runAuth, startGateway, type CommandRun, type RunningGateway } from './gateway-test-kit.js';
import { runCommandLine } from '../../helpers/command-line.js';

const sqliteDir = join(import.meta.dirname, '../../../src/builtin-plugins/storage-sqlite');
const LOST = /^missing credentials: none is configured any more, but credentials were \(recorded \d{4}-.*\), so callers without one stay refused rather than let in; create an API key \(nexus auth api-key create\), or run `nexus auth reset-open-access` to let anonymous loopback callers in again$/;

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function sqliteDatabase(): { readonly path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-open-access-'));
  temps.push(dir);
  return { path: join(dir, 'nexus.db') };
}

const listAnonymously = (gw: RunningGateway) => call(gw.sessions, 'listSessions', { agentId: '', channel: '', pageSize: 0, pageToken: '' });

/** `nexus <command> <argv>` with a terminal on stdin, where the operator types `answer`. */
async function onTerminal(kernel: TestKernel, command: string, argv: readonly string[], answer: string): Promise<CommandRun> {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  input.end(`${answer}\n`);
  return runCommandLine(kernel, command, argv, { stdin: input });
}

describe('losing every credential never silently opens access', () => {
  it('keeps anonymous callers refused once the last API key is revoked, until an operator runs reset-open-access', async () => {
    const gw = await startGateway();
    await expect(listAnonymously(gw)).resolves.toMatchObject({ totalCount: 0 });
    const { id } = await createApiKey(gw.kernel, 'only');
    await (await apiKeyStore(gw.kernel)).revoke(id);

    const refused = await failure(listAnonymously(gw));
    expect(refused.code).toBe(status.UNAUTHENTICATED);
    expect(refused.details).toMatch(LOST);

    const unattended = await runAuth(gw.kernel, ['reset-open-access']);
    expect(unattended.code).toBe(1);
    expect(unattended.stderr).toBe('nexus auth: refusing to reopen access without confirmation: stdin is not a terminal; run again with --yes if you mean it\n');
    const declined = await onTerminal(gw.kernel, 'auth', ['reset-open-access'], 'n');
    expect(declined).toMatchObject({ code: 1, stdout: expect.stringMatching(/Let callers without credentials in again\? \[y\/N\] Nothing changed\.\n$/) });
    expect((await failure(listAnonymously(gw))).code).toBe(status.UNAUTHENTICATED);

    const accepted = await onTerminal(gw.kernel, 'auth', ['reset-open-access'], 'y');
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toMatch(/^Credentials were configured on this database \(recorded \d{4}-.*\) and none is left, so callers without credentials are refused\.\n/);
    expect(accepted.stdout).toMatch(/Done: callers without credentials are let in again, until a credential is configured\.\n$/);
    // At once: the running gateway asks the database on every anonymous call.
    await expect(listAnonymously(gw)).resolves.toMatchObject({ totalCount: 0 });
    expect(await runAuth(gw.kernel, ['reset-open-access', '--yes'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Nothing to reset: no credentials were ever recorded/) });
  });

  it('refuses to reset while a credential is configured, since calls need one anyway', async () => {
    const kernel = gatewayKernel();
    await createApiKey(kernel, 'live');
    const run = await runAuth(kernel, ['reset-open-access', '--yes']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('nexus auth: 1 API key(s) are live (live), so calls need credentials whatever this command does; revoke them first (nexus auth api-key revoke ID) if open access is what you want\n');

    const withSecret = await runAuth(gatewayKernel({ settings: { auth: { jwt_secret: JWT_SECRET } } }), ['reset-open-access', '--yes']);
    expect(withSecret.code).toBe(1);
    expect(withSecret.stderr).toMatch(/^nexus auth: auth\.jwt_secret is set, so calls need credentials whatever this command does/);
  });

  it('keeps anonymous callers refused after auth.jwt_secret is removed from the config', async () => {
    const database = sqliteDatabase();
    const withSecret = await startGateway({ with: [sqliteDir], settings: { database, auth: { jwt_secret: JWT_SECRET } } });
    await withSecret.kernel.stop();

    const without = await startGateway({ with: [sqliteDir], settings: { database } });
    const refused = await failure(listAnonymously(without));
    expect(refused.code).toBe(status.UNAUTHENTICATED);
    expect(refused.details).toMatch(LOST);
  });

  it('keeps anonymous callers refused after `nexus migrate down` wiped the API keys and `up` brought the table back empty', async () => {
    const database = sqliteDatabase();
    const before = await startGateway({ with: [sqliteDir], settings: { database } });
    await createApiKey(before.kernel, 'ops');
    await before.kernel.stop();

    const migrate = async (argv: string[]) => {
      const kernel = gatewayKernel({ with: [sqliteDir], settings: { database } });
      const { code, stderr } = await runCommandLine(kernel, 'migrate', argv);
      await kernel.stop();
      return { code, stderr };
    };
    expect(await migrate(['down', '-n', '4', '--yes'])).toEqual({ code: 0, stderr: '' });
    expect(await migrate(['up'])).toEqual({ code: 0, stderr: '' });

    const after = await startGateway({ with: [sqliteDir], settings: { database } });
    expect(await (await after.kernel.services.get(ApiKeyStoreToken)).list()).toEqual([]);
    const refused = await failure(listAnonymously(after));
    expect(refused.code).toBe(status.UNAUTHENTICATED);
    expect(refused.details).toMatch(LOST);
  });
});
