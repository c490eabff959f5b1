import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_STATUS_PATH, ChannelPairingStoreToken, ConfigToken, type AdminStatus } from '@nexus/plugin-sdk';
import { runCommandLine } from '../../helpers/command-line.js';
import { channelsKernel, fakePlatform, httpServer } from './channels-test-kit.js';

const TWO_ACCOUNTS = (url: string) => ({
  main: { bot_token: 'good-token', api_base_url: url },
  bad: { bot_token: 'revoked-token', api_base_url: url, dm_policy: 'allowlist', allow_from: ['7', '8'], group_policy: 'open', require_mention: false },
});

describe('nexus channels list', () => {
  it('lists installed channel plugins with their accounts and each access policy', async () => {
    const { url } = await fakePlatform();
    const { kernel } = channelsKernel({ platform: url, accounts: TWO_ACCOUNTS(url) });
    const run = await runCommandLine(kernel, 'channels', ['list']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('relay  (plugin relay-channel, ');
    expect(run.stdout).toContain('  bad  DMs: allowlist  groups: open, no mention needed  allow_from: 2 id(s)\n');
    expect(run.stdout).toContain('  main  DMs: pairing  groups: allowlist, mention required  allow_from: nobody\n');
    const json = JSON.parse((await runCommandLine(kernel, 'channels', ['list', '--json'])).stdout) as { channel: string; accounts: { name: string; dmPolicy: string }[] }[];
    expect(json.find((c) => c.channel === 'relay')?.accounts).toEqual([
      { name: 'bad', dmPolicy: 'allowlist', groupPolicy: 'open', allowFrom: ['7', '8'], requireMention: false },
      { name: 'main', dmPolicy: 'pairing', groupPolicy: 'allowlist', allowFrom: [], requireMention: true },
    ]);
  });
});

describe('nexus channels login, logout and test', () => {
  it('login runs the channel credential check and prints what it says', async () => {
    const platform = await fakePlatform();
    const { kernel } = channelsKernel({ platform: platform.url });
    const run = await runCommandLine(kernel, 'channels', ['login', 'relay']);
    expect(run).toEqual({ code: 0, stdout: 'Checking relay/main…\nsigned in as relaybot\nrelay/main: the credentials work.\n', stderr: '' });
    expect(platform.calls.map((c) => [c.method, c.path, c.authorization])).toEqual([['GET', '/me', 'Bearer good-token']]);
  });

  it('login says exactly what is wrong with a bad token or a missing scope, and exits 1', async () => {
    const platform = await fakePlatform();
    const { kernel } = channelsKernel({ platform: platform.url, accounts: { ...TWO_ACCOUNTS(platform.url), scopeless: { bot_token: 'no-scope', api_base_url: platform.url } } });
    const bad = await runCommandLine(kernel, 'channels', ['login', 'relay', '--account', 'bad']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('login relay/bad failed: the platform rejected the bot token of account bad (401): set channels.relay.accounts.bad.bot_token\n');
    const scopeless = await runCommandLine(kernel, 'channels', ['login', 'relay', '--account', 'scopeless']);
    expect(scopeless).toMatchObject({ code: 1, stdout: 'Checking relay/scopeless…\nsigned in as relaybot\n', stderr: 'login relay/scopeless failed: the token lacks the chat:write scope\n' });
    expect(`${bad.stdout}${bad.stderr}`).not.toContain('revoked-token');
  });

  it('refuses an unknown channel, an unknown account, and a missing --account among several, as usage errors', async () => {
    const { url } = await fakePlatform();
    const { kernel } = channelsKernel({ platform: url, accounts: TWO_ACCOUNTS(url) });
    const unknown = await runCommandLine(kernel, 'channels', ['login', 'telegrm']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown channel "telegrm": enabled channels are relay (see `nexus channels list`)');
    const account = await runCommandLine(kernel, 'channels', ['test', 'relay', '--account', 'nope', '--to', 'x', '--text', 'hi']);
    expect(account.code).toBe(2);
    expect(account.stderr).toContain('channel relay has no account "nope": its accounts are bad, main');
    const several = await runCommandLine(kernel, 'channels', ['login', 'relay']);
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('channel relay has 2 accounts (bad, main): pick one with --account');
  });

  it('test sends one message through the channel outbound and prints the receipt; logout reaches the platform', async () => {
    const platform = await fakePlatform();
    const { kernel } = channelsKernel({ platform: platform.url });
    const run = await runCommandLine(kernel, 'channels', ['test', 'relay', '--to', 'chat-9', '--text', 'hello there']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Sent through relay\/main to chat-9 in \d+ ms \(platform id m-1\)\.\n$/);
    expect(platform.calls).toMatchObject([{ method: 'POST', path: '/send', authorization: 'Bearer good-token', body: JSON.stringify({ target: 'chat-9', content: 'hello there' }) }]);
    expect(await runCommandLine(kernel, 'channels', ['logout', 'relay'])).toEqual({ code: 0, stdout: 'Signed relay/main out.\n', stderr: '' });
    expect(platform.calls.at(-1)).toMatchObject({ method: 'POST', path: '/logout' });
  });

  it('test reports a platform that refuses the send, and exits 1', async () => {
    const platform = await fakePlatform();
    const { kernel } = channelsKernel({ platform: platform.url, accounts: { main: { bot_token: 'revoked-token', api_base_url: platform.url } } });
    const run = await runCommandLine(kernel, 'channels', ['test', 'relay', '--to', 'chat-9', '--text', 'hi']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('test relay/main failed: the platform answered 401: {"error":"invalid_auth"}\n');
  });
});

describe('nexus channels pair', () => {
  it('lists pending codes and approves one typed in any case with a dash; the sender is then let in', async () => {
    const { url } = await fakePlatform();
    const { kernel } = channelsKernel({ platform: url });
    const store = await kernel.services.get(ChannelPairingStoreToken);
    const { request } = await store.request({ channel: 'relay', accountId: 'main', senderId: '42', senderName: 'Ada', ttlMs: 3_600_000 });
    const list = await runCommandLine(kernel, 'channels', ['pair', 'list']);
    expect(list).toEqual({ code: 0, stdout: `${request.code}  relay/main  Ada (42)  pending, expires in 60 min\n`, stderr: '' });
    const typed = `${request.code.slice(0, 4).toLowerCase()}-${request.code.slice(4)}`;
    const approve = await runCommandLine(kernel, 'channels', ['pair', 'approve', 'relay', typed]);
    expect(approve).toEqual({ code: 0, stdout: 'Approved Ada (42) on relay/main: their next message reaches the agent.\n', stderr: '' });
    expect(await store.isApproved('relay', 'main', '42')).toBe(true);
    expect((await runCommandLine(kernel, 'channels', ['pair', 'list'])).stdout).toMatch(/^No pending pairing codes\./);
    expect((await runCommandLine(kernel, 'channels', ['pair', 'list', '--all'])).stdout).toMatch(new RegExp(`^${request.code}  relay/main  Ada \\(42\\)  approved \\d{4}-`));
    // Revoking puts the sender back to pairing.
    expect((await runCommandLine(kernel, 'channels', ['pair', 'revoke', 'relay', '42'])).code).toBe(0);
    expect(await store.isApproved('relay', 'main', '42')).toBe(false);
    const again = await runCommandLine(kernel, 'channels', ['pair', 'revoke', 'relay', '42']);
    expect(again).toMatchObject({ code: 1, stderr: 'sender 42 is not approved on relay/main; see `nexus channels pair list --all`\n' });
  });

  it('refuses an unknown code, an expired one and one already decided, and a channel that does not exist', async () => {
    const { url } = await fakePlatform();
    const { kernel, clock } = channelsKernel({ platform: url });
    const store = await kernel.services.get(ChannelPairingStoreToken);
    const unknown = await runCommandLine(kernel, 'channels', ['pair', 'approve', 'relay', 'ZZZZ-ZZZZ']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'no pending pairing code ZZZZZZZZ on channel relay: it is mistyped, expired (the sender gets a new one by writing again), already decided, or belongs to another channel; see `nexus channels pair list`\n',
    );
    const { request } = await store.request({ channel: 'relay', accountId: 'main', senderId: '43', ttlMs: 60_000 });
    clock.advance(60_001);
    expect((await runCommandLine(kernel, 'channels', ['pair', 'approve', 'relay', request.code])).code).toBe(1);
    expect(await store.isApproved('relay', 'main', '43')).toBe(false);
    const fresh = await store.request({ channel: 'relay', accountId: 'main', senderId: '44', ttlMs: 60_000 });
    expect(await runCommandLine(kernel, 'channels', ['pair', 'deny', 'relay', fresh.request.code])).toEqual({ code: 0, stdout: 'Denied 44 on relay/main.\n', stderr: '' });
    expect((await runCommandLine(kernel, 'channels', ['pair', 'approve', 'relay', fresh.request.code])).code).toBe(1);
    const channel = await runCommandLine(kernel, 'channels', ['pair', 'approve', 'relai', fresh.request.code]);
    expect(channel.code).toBe(2);
    expect(channel.stderr).toContain('unknown channel "relai"');
  });
});

describe('nexus channels status', () => {
  it('says that no gateway is running (exit 3), and still runs the probes with --probe', async () => {
    const platform = await fakePlatform();
    const { kernel } = channelsKernel({ platform: platform.url });
    const run = await runCommandLine(kernel, 'channels', ['status', '--probe']);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^No gateway is running: no running Nexus found \(no live pid in .*nexus\.pid\); start it with `nexus serve`\n$/);
    expect(run.stdout).toMatch(/^Probes \(from this host\):\n {2}relay {2}ok in \d+ ms: the platform answers \/me\n$/);
  });

  it("prints each account's live state from the gateway's admin status route, and a refusal as such", async () => {
    const platform = await fakePlatform();
    const { kernel, clock } = channelsKernel({ platform: platform.url });
    const home = (await kernel.services.get(ConfigToken)).home;
    const seen: (string | undefined)[] = [];
    const status: Partial<AdminStatus> = {
      pid: process.pid,
      channels: { relay: { connected: true, accounts: { main: { connected: true, state: 'connected', lastInboundAt: clock.now() - 12_000, received: 5, sent: 4, failed: 1, refused: 2 } } } },
    };
    const gateway = await httpServer((request) => {
      seen.push(request.headers['x-api-key'] as string | undefined);
      if (request.url !== ADMIN_STATUS_PATH) return { status: 404, json: {} };
      return request.headers['x-api-key'] === 'admin-key' ? { status: 200, json: status } : { status: 403, json: { error: { code: 'permission_denied', message: "only admins see the gateway's status" } } };
    });
    // The gateway this process pretends to be: its pid is alive, its HTTP address is the server above.
    writeFileSync(join(home, 'nexus.pid'), JSON.stringify({ pid: process.pid, config: null, startedAt: new Date().toISOString(), http: gateway }));

    const run = await runCommandLine(kernel, 'channels', ['status', '--api-key', 'admin-key']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Live channel state from the gateway \\(pid ${process.pid}\\):\\n {2}relay {2}connected\\n {4}main {2}connected {2}last inbound 1[23]s ago {2}received 5 {2}sent 4 {2}failed 1 {2}refused 2\\n$`));
    const refused = await runCommandLine(kernel, 'channels', ['status', '--api-key', 'user-key']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("Cannot ask the gateway: the gateway at http://127.0.0.1:");
    expect(refused.stderr).toContain("refused: only admins see the gateway's status; use an admin credential");
    expect(seen).toEqual(['admin-key', 'user-key']);
  });
});
