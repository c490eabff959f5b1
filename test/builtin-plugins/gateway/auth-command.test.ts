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
    expect(lines.slice(0, -1).join('\n')).toMatch(/Created API key "laptop" \(id [0-9a-f-]+\) for user laptop\.\nStore it now: it is not shown again\./);

    const verifier = await kernel.services.get(CredentialVerifierToken);
    expect(await verifier.verify({ apiKey: key })).toMatchObject({ userId: 'laptop', via: 'api_key' });
  });

  it('api-key create --json prints {id, name, key}, and --user sets who the key acts as', async () => {
    const kernel = gatewayKernel();
    const run = await runAuth(kernel, ['api-key', 'create', '--name', 'ci', '--user', 'build-bot', '--json']);
    expect(run.code).toBe(0);
    const created = JSON.parse(run.stdout) as Record<string, string>;
    expect(Object.keys(created).sort()).toEqual(['id', 'key', 'name']);
    expect(created.name).toBe('ci');
    const verifier = await kernel.services.get(CredentialVerifierToken);
    expect(await verifier.verify({ apiKey: created.key! })).toMatchObject({ userId: 'build-bot', keyId: created.id });
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
    expect(text.stdout).toMatch(/^ID\s+NAME\s+USER\s+CREATED\s+STATUS\n/);
    expect(text.stdout).toContain(id);
    expect(text.stdout).toMatch(/laptop\s+laptop\s+\S+\s+active/);
    expect(text.stdout).not.toContain(key);

    const json = await runAuth(kernel, ['api-key', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([{ id, name: 'laptop', userId: 'laptop', createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    expect(json.stdout).not.toContain(key);
  });

  it('api-key revoke makes the key fail and shows it revoked; an unknown id exits 1', async () => {
    const kernel = gatewayKernel();
    const { key, id } = JSON.parse((await runAuth(kernel, ['api-key', 'create', '--name', 'old', '--json'])).stdout) as { key: string; id: string };
    expect(await runAuth(kernel, ['api-key', 'revoke', id])).toMatchObject({ code: 0, stdout: `Revoked API key ${id}; calls made with it now fail.\n` });

    const verifier = await kernel.services.get(CredentialVerifierToken);
    await expect(verifier.verify({ apiKey: key })).rejects.toThrow(/invalid API key/);
    expect((await runAuth(kernel, ['api-key', 'list'])).stdout).toMatch(/old\s+old\s+\S+\s+revoked \d{4}-/);

    const unknown = await runAuth(kernel, ['api-key', 'revoke', '0190d6a2-0000-7000-8000-000000000000']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^nexus auth: .*not found/);
  });

  it('token issues a JWT the gateway accepts, for the given lifetime', async () => {
    const kernel = gatewayKernel({ settings: { auth: { jwt_secret: JWT_SECRET } } });
    const run = await runAuth(kernel, ['token', '--user', 'alice', '--expires', '1h', '--json']);
    expect(run.code).toBe(0);
    const issued = JSON.parse(run.stdout) as { token: string; userId: string; expiresAt: string };
    expect(issued.userId).toBe('alice');
    const lifetime = Date.parse(issued.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(3_500_000);
    expect(lifetime).toBeLessThanOrEqual(3_600_000);

    const verifier = await kernel.services.get(CredentialVerifierToken);
    expect(await verifier.verify({ authorization: `Bearer ${issued.token}` })).toEqual({ userId: 'alice', via: 'jwt' });

    const text = await runAuth(kernel, ['token', '--user', 'alice']);
    expect(text.stdout).toMatch(/^Token for user alice, valid until \S+:\n[\w-]+\.[\w-]+\.[\w-]+\n$/);
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
    const cases: [string[], RegExp][] = [
      [[], /name a sub-command/],
      [['api-key'], /unknown sub-command "api-key"/],
      [['api-key', 'make'], /unknown sub-command "api-key make"/],
      [['api-key', 'create'], /needs --name NAME/],
      [['api-key', 'create', '--name', ''], /--name needs a value/],
      [['api-key', 'create', '--name', 'x', '--expires', '1h'], /does not take --expires/],
      [['api-key', 'revoke'], /needs ID/],
      [['api-key', 'list', 'extra'], /takes no arguments/],
      [['token'], /token needs --user USER/],
      [['token', '--user', 'a', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [argv, message] of cases) {
      const run = await runAuth(kernel, argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr, argv.join(' ')).toMatch(message);
      expect(run.stderr).toContain('usage:');
    }
    const help = await runAuth(kernel, ['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^usage:\n {2}nexus auth api-key create/);
  });

  it('explains that API keys need storage when no storage plugin is enabled', async () => {
    const run = await runAuth(gatewayKernel({ withoutStorage: true }), ['api-key', 'list']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no storage plugin is enabled, so API keys cannot be stored/);
  });
});
