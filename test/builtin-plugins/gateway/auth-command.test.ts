import { describe, expect, it } from 'vitest';
import { CredentialVerifierToken } from '@nexus/plugin-sdk';
import { gatewayKernel, JWT_SECRET, runAuth } from './gateway-test-kit.js';

describe('nexus auth', () => {
  it('api-key create prints a URL-safe key of at least 32 characters alone on the last line', async () => {
    const kernel = gatewayKernel();
    const run = await runAuth(kernel, ['api-key', 'create', '--name', 'laptop']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    const key = lines.at(-1)!;
    expect(key).toMatch(/^[A-Za-z0-9_-]{32,}$/);
    expect(lines.slice(0, -1).join('\n')).toMatch(/Created API key "laptop" \(id [0-9a-f-]+\) for user laptop, role admin \(the first key on this install is an admin key; .*\)\.\nStore it now: it is not shown again\./);

    const verifier = await kernel.services.get(CredentialVerifierToken);
    expect(await verifier.verify({ apiKey: key })).toMatchObject({ userId: 'laptop', via: 'api_key', role: 'admin' });
  });

  it('api-key create --json prints {id, name, role, key}, and --user sets who the key acts as', async () => {
    const kernel = gatewayKernel();
    const run = await runAuth(kernel, ['api-key', 'create', '--name', 'ci', '--user', 'build-bot', '--json']);
    expect(run.code).toBe(0);
    const created = JSON.parse(run.stdout) as Record<string, string>;
    expect(Object.keys(created).sort()).toEqual(['id', 'key', 'name', 'role']);
    expect(created.name).toBe('ci');
    const verifier = await kernel.services.get(CredentialVerifierToken);
    expect(await verifier.verify({ apiKey: created.key! })).toMatchObject({ userId: 'build-bot', keyId: created.id });
  });

  it('makes the first key on a fresh install an admin key, later ones user keys unless --admin', async () => {
    const kernel = gatewayKernel();
    const create = async (...argv: string[]) => JSON.parse((await runAuth(kernel, ['api-key', 'create', ...argv, '--json'])).stdout) as { key: string; role: string };
    const first = await create('--name', 'operator');
    const second = await create('--name', 'alice');
    const third = await create('--name', 'ops-2', '--admin');
    expect([first.role, second.role, third.role]).toEqual(['admin', 'user', 'admin']);
    const verifier = await kernel.services.get(CredentialVerifierToken);
    expect(await verifier.verify({ apiKey: second.key })).toMatchObject({ userId: 'alice', role: 'user' });
    expect(await verifier.verify({ apiKey: third.key })).toMatchObject({ userId: 'ops-2', role: 'admin' });

    // A revoked first key still counts: the install is not fresh any more.
    const other = gatewayKernel();
    const { id } = JSON.parse((await runAuth(other, ['api-key', 'create', '--name', 'old', '--json'])).stdout) as { id: string };
    await runAuth(other, ['api-key', 'revoke', id]);
    expect(JSON.parse((await runAuth(other, ['api-key', 'create', '--name', 'new', '--json'])).stdout)).toMatchObject({ role: 'user' });
  });

  it('refuses a --user that no credential may act as', async () => {
    const kernel = gatewayKernel();
    for (const [user, says] of [
      ['x'.repeat(257), /is 257 characters long; the limit is 256/],
      ['bad\u0000id', /contains the control character U\+0000 at index 3/],
      ['  ', /is empty/],
    ] as const) {
      const run = await runAuth(kernel, ['api-key', 'create', '--name', 'k', '--user', user]);
      expect(run.code, JSON.stringify(user)).toBe(user.trim() === '' ? 2 : 1);
      if (run.code === 1) expect(run.stderr).toMatch(says);
    }
    expect((await runAuth(kernel, ['api-key', 'list'])).stdout).toMatch(/^No API keys/);
  });

  it('makes a different key every time', async () => {
    const kernel = gatewayKernel();
    const keys = new Set<string>();
    for (const name of ['a', 'b', 'c']) keys.add((JSON.parse((await runAuth(kernel, ['api-key', 'create', '--name', name, '--json'])).stdout) as { key: string }).key);
    expect(keys.size).toBe(3);
  });

  it('api-key list shows the keys but never the key material', async () => {
    const kernel = gatewayKernel();
    const empty = await runAuth(kernel, ['api-key', 'list']);
    expect(empty).toMatchObject({ code: 0, stdout: 'No API keys. Create one with: nexus auth api-key create --name NAME\n' });

    const { key, id } = JSON.parse((await runAuth(kernel, ['api-key', 'create', '--name', 'laptop', '--json'])).stdout) as { key: string; id: string };
    const text = await runAuth(kernel, ['api-key', 'list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ID\s+NAME\s+USER\s+ROLE\s+CREATED\s+STATUS\n/);
    expect(text.stdout).toContain(id);
    expect(text.stdout).toMatch(/laptop\s+laptop\s+admin\s+\S+\s+active/);
    expect(text.stdout).not.toContain(key);

    const json = await runAuth(kernel, ['api-key', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([{ id, name: 'laptop', userId: 'laptop', role: 'admin', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    expect(json.stdout).not.toContain(key);
  });

  it('api-key revoke makes the key fail and shows it revoked; an unknown id exits 1', async () => {
    const kernel = gatewayKernel();
    const { key, id } = JSON.parse((await runAuth(kernel, ['api-key', 'create', '--name', 'old', '--json'])).stdout) as { key: string; id: string };
    expect(await runAuth(kernel, ['api-key', 'revoke', id])).toMatchObject({ code: 0, stdout: `Revoked API key ${id}; calls made with it now fail.\n` });

    const verifier = await kernel.services.get(CredentialVerifierToken);
    await expect(verifier.verify({ apiKey: key })).rejects.toThrow(/invalid API key/);
    expect((await runAuth(kernel, ['api-key', 'list'])).stdout).toMatch(/old\s+old\s+admin\s+\S+\s+revoked \d{4}-/);

    const unknown = await runAuth(kernel, ['api-key', 'revoke', '0190d6a2-0000-7000-8000-000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^nexus auth: .*not found/);
  });

  it('token issues a JWT the gateway accepts, for the given lifetime, with the role user unless --admin', async () => {
    const kernel = gatewayKernel({ settings: { auth: { jwt_secret: JWT_SECRET } } });
    const run = await runAuth(kernel, ['token', '--user', 'alice', '--expires', '1h', '--json']);
    expect(run.code).toBe(0);
    const issued = JSON.parse(run.stdout) as { token: string; userId: string; role: string; expiresAt: string };
    expect(issued).toMatchObject({ userId: 'alice', role: 'user' });
    const lifetime = Date.parse(issued.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(3_500_000);
    expect(lifetime).toBeLessThanOrEqual(3_600_000);

    const verifier = await kernel.services.get(CredentialVerifierToken);
    expect(await verifier.verify({ authorization: `Bearer ${issued.token}` })).toEqual({ userId: 'alice', via: 'jwt', role: 'user' });

    const text = await runAuth(kernel, ['token', '--user', 'alice']);
    expect(text.stdout).toMatch(/^Token for user alice \(role user\), valid until \S+:\n[\w-]+\.[\w-]+\.[\w-]+\n$/);

    const admin = JSON.parse((await runAuth(kernel, ['token', '--user', 'root', '--admin', '--json'])).stdout) as { token: string; role: string };
    expect(admin.role).toBe('admin');
    expect(await verifier.verify({ authorization: `Bearer ${admin.token}` })).toEqual({ userId: 'root', via: 'jwt', role: 'admin' });
  });

  it('token explains how to set auth.jwt_secret when it is missing, and refuses a bad lifetime', async () => {
    const withoutSecret = await runAuth(gatewayKernel(), ['token', '--user', 'alice']);
    expect(withoutSecret.code).toBe(1);
    expect(withoutSecret.stderr).toMatch(/cannot issue tokens: auth\.jwt_secret is not set; add .*nexus\.yaml/);

    const badExpiry = await runAuth(gatewayKernel({ settings: { auth: { jwt_secret: JWT_SECRET } } }), ['token', '--user', 'alice', '--expires', 'forever']);
    expect(badExpiry.code).toBe(1);
    expect(badExpiry.stderr).toMatch(/invalid expiry "forever": use a number and a unit/);
  });

  it('exits 2 with usage for bad arguments, and 0 for --help', async () => {
    const kernel = gatewayKernel();
    const cases: [string[], string][] = [
      [[], 'nexus auth: name a sub-command: api-key, token or reset-open-access; see `nexus help auth`'],
      [['api-key'], 'nexus auth api-key: name a sub-command: create, list or revoke; see `nexus help auth api-key`'],
      [['api-key', 'make'], 'nexus auth api-key: unknown sub-command "make"; use create, list or revoke; see `nexus help auth api-key`'],
      [['api-key', 'create'], "nexus auth api-key create: required option '--name <NAME>' not specified; see `nexus help auth api-key create`"],
      [['api-key', 'create', '--name', ''], "nexus auth api-key create: option '--name <NAME>' argument '' is invalid: it needs a value, not a blank one; see `nexus help auth api-key create`"],
      [['api-key', 'create', '--name', 'x', '--expires', '1h'], "nexus auth api-key create: unknown option '--expires'; see `nexus help auth api-key create`"],
      [['api-key', 'revoke'], "nexus auth api-key revoke: missing required argument 'id'; see `nexus help auth api-key revoke`"],
      [['api-key', 'list', 'extra'], "nexus auth api-key list: too many arguments for 'list': expected 0 arguments but got 1; see `nexus help auth api-key list`"],
      [['token'], "nexus auth token: required option '--user <USER>' not specified; see `nexus help auth token`"],
      [['token', '--user', 'a', '--bogus'], "nexus auth token: unknown option '--bogus'; see `nexus help auth token`"],
      [['api-key', 'list', '--admin'], "nexus auth api-key list: unknown option '--admin'; see `nexus help auth api-key list`"],
      [['reset-open-access', '--admin'], "nexus auth reset-open-access: unknown option '--admin'; see `nexus help auth reset-open-access`"],
      [['token', '--user', 'a', '--yes'], "nexus auth token: unknown option '--yes'; see `nexus help auth token`"],
    ];
    for (const [argv, message] of cases) {
      const run = await runAuth(kernel, argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr, argv.join(' ')).toBe(`${message} (plugin gateway)\n`);
    }
    const help = await runAuth(kernel, ['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: nexus auth \[options\] \[command\]\n\nManage API keys/);
    expect(help.stdout).toMatch(/api-key \[options\]( \[command\])? +API keys: create, list, revoke/);
    const create = await runAuth(kernel, ['api-key', 'create', '--help']);
    expect(create.stdout).toMatch(/--name <NAME> +what the key is called/);
  });

  it('explains that API keys need storage when no storage plugin is enabled', async () => {
    const run = await runAuth(gatewayKernel({ withoutStorage: true }), ['api-key', 'list']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no storage plugin is enabled, so API keys cannot be stored/);
  });
});
