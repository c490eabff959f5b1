import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Bot } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { startTelegramTest, type TelegramTest } from './telegram-test-kit.js';

const signal = () => new AbortController().signal;

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Telegram login check and probe', () => {
  let t: TelegramTest;
  afterEach(() => t.close());

  it('confirms a working bot by name', async () => {
    t = await startTelegramTest();
    const report = await t.account().checkLogin({ signal: signal() });
    expect(report).toEqual({ ok: true, bot: { id: t.bot.user.id, username: 'nexus_helper_bot', name: 'nexus_helper_bot' }, findings: [{ level: 'info', message: `bot @nexus_helper_bot (id ${t.bot.user.id}) answers at ${t.fake.apiRoot}` }] });
  });

  it('says a rejected token is wrong or revoked, and where to set the right one', async () => {
    t = await startTelegramTest();
    const report = await t.account({ bot_token: '123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }).checkLogin({ signal: signal() });
    expect(report).toEqual({
      ok: false,
      findings: [{ level: 'error', message: 'Telegram rejected the bot token of account main (401 Unauthorized): it is wrong or was revoked. Get the current token from @BotFather (/token) and set channels.telegram.accounts.main.bot_token' }],
    });
  });

  it('names the URL it cannot reach', async () => {
    t = await startTelegramTest();
    const port = await closedPort();
    const report = await t.account({ api_base_url: `http://127.0.0.1:${port}` }).checkLogin({ signal: signal() });
    expect(report.findings).toEqual([
      { level: 'error', message: `cannot reach the Telegram Bot API at http://127.0.0.1:${port} (ECONNREFUSED): check channels.telegram.accounts.main.api_base_url and this host's network, DNS or proxy` },
    ]);
  });

  it('never repeats a password from a proxy URL', async () => {
    t = await startTelegramTest();
    const port = await closedPort();
    const report = await t.account({ api_base_url: `http://proxyuser:hunter2@127.0.0.1:${port}` }).checkLogin({ signal: signal() });
    expect(report.findings[0]!.message).toContain(`cannot reach the Telegram Bot API at http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(JSON.stringify(report)).not.toContain('hunter2');
  });

  it('says when the URL answers but is no Bot API', async () => {
    t = await startTelegramTest();
    const report = await t.account({ api_base_url: `${t.fake.apiRoot}/not-the-api` }).checkLogin({ signal: signal() });
    expect(report.findings[0]!.message).toBe(`${t.fake.apiRoot}/not-the-api answered 404 Not Found to getMe: the token of account main is malformed, or channels.telegram.accounts.main.api_base_url is not a Bot API server`);
  });

  it('warns of a webhook set while the account polls, of privacy mode hiding group messages, and of a bot another account polls', async () => {
    t = await startTelegramTest({ allowHttpWebhooks: true });
    await new Bot(t.bot.token, { client: { apiRoot: t.fake.apiRoot } }).api.setWebhook('http://127.0.0.1:9/hook');
    const report = await t.account({ group_policy: 'open', require_mention: false }).checkLogin({ signal: signal() });
    expect(report.ok).toBe(true);
    expect(report.findings.map((f) => `${f.level}: ${f.message}`)).toEqual([
      `info: bot @nexus_helper_bot (id ${t.bot.user.id}) answers at ${t.fake.apiRoot}`,
      'warning: a webhook is set to http://127.0.0.1:9/hook, so getUpdates would answer 409 Conflict; the channel deletes it when it starts polling (or set mode: webhook)',
      'warning: privacy mode is on, so in groups the bot sees only commands, replies to it and mentions, although require_mention is false; turn privacy off in @BotFather (/setprivacy) or set require_mention: true',
    ]);

    const owner = t.account({}, { accountId: 'owner' });
    await owner.start(signal());
    const second = await t.account({}, { accountId: 'second' }).checkLogin({ signal: signal() });
    expect(second.ok).toBe(false);
    expect(second.findings.at(-1)).toEqual({ level: 'error', message: 'account owner already polls this bot in this process; two accounts cannot share a bot token' });
  });

  it('fails to start on a rejected token with the same explanation, and claims nothing', async () => {
    t = await startTelegramTest();
    const account = t.account({ bot_token: '123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    await expect(account.start(signal())).rejects.toThrow('Telegram rejected the bot token of account main (401 Unauthorized)');
    expect(t.pollers.holderOf('123456')).toBeUndefined();
    expect(account.status()).toMatchObject({ state: 'failed', healthy: false });
  });

  it('probes with getMe: healthy with latency, or the reason', async () => {
    t = await startTelegramTest();
    const good = await t.account().probe({ signal: signal() });
    expect(good).toMatchObject({ healthy: true, message: expect.stringMatching(/^main: @nexus_helper_bot answered getMe in \d+ ms$/) });
    expect(good.latencyMs).toBeGreaterThanOrEqual(0);
    t.fake.revokeToken(t.bot);
    expect(await t.account({}, { accountId: 'other' }).probe({ signal: signal() })).toEqual({ healthy: false, message: expect.stringContaining('other: Telegram rejected the bot token of account other (401 Unauthorized)') });
  });
});
