import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SECRET_HEADER, type TelegramAccount } from '../../../src/builtin-plugins/telegram/engine.js';
import { eventually, startTelegramTest, type TelegramTest } from './telegram-test-kit.js';

const SECRET = 'webhook_secret_0123456789abcdef';

/** The gateway's HTTP side in miniature: hands each request's headers and raw body to the account. */
async function serveWebhook(account: () => TelegramAccount): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void account()
        .handleWebhook({ headers: req.headers, body: Buffer.concat(chunks) })
        .then((answer) => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/channels/telegram/main`, server };
}

describe('Telegram webhook mode', () => {
  let t: TelegramTest;
  let account: TelegramAccount;
  let url: string;
  let server: Server;

  beforeEach(async () => {
    t = await startTelegramTest({ allowHttpWebhooks: true, webhookRetryMs: 20 });
    ({ url, server } = await serveWebhook(() => account));
    account = t.account({ mode: 'webhook', webhook_url: url, webhook_secret: SECRET });
  });
  afterEach(async () => {
    await t.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('registers the webhook with its secret, and takes updates Telegram posts with it', async () => {
    await account.start(new AbortController().signal);
    await eventually(() => expect(t.bot.webhook).toMatchObject({ url, secretToken: SECRET, allowedUpdates: ['message', 'channel_post'] }));
    await eventually(() => expect(account.status()).toMatchObject({ healthy: true, mode: 'webhook' }));
    const alice = t.fake.user('Alice');
    t.fake.userSays(t.bot, { chat: t.fake.privateChat(alice), from: alice, text: 'via webhook' });
    await eventually(() => expect(t.received.map((m) => m.content)).toEqual(['via webhook']));
    await eventually(() => expect(t.bot.queue).toHaveLength(0));
    expect(t.fake.callsOf('getUpdates')).toHaveLength(0);
  });

  it('refuses requests without the right secret token, and hands nothing on', async () => {
    await account.start(new AbortController().signal);
    const update = JSON.stringify({ update_id: 1, message: { message_id: 1, date: 0, chat: { id: 5, type: 'private' }, from: { id: 5, is_bot: false, first_name: 'Mallory' }, text: 'forged' } });
    const post = (headers: Record<string, string>) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: update });
    const missing = await post({});
    const wrong = await post({ [SECRET_HEADER]: `${SECRET}x` });
    const short = await post({ [SECRET_HEADER]: 'w' });
    expect([missing.status, wrong.status, short.status]).toEqual([401, 401, 401]);
    expect(await missing.json()).toEqual({ ok: false, error: 'missing or wrong x-telegram-bot-api-secret-token: only Telegram, given webhook_secret by setWebhook, may post here' });
    const genuine = await post({ [SECRET_HEADER]: SECRET });
    expect(genuine.status).toBe(200);
    await eventually(() => expect(t.received.map((m) => m.content)).toEqual(['forged']));
    expect(account.status().counters.webhookRejected).toBe(3);
  });

  it('takes a redelivered update once', async () => {
    await account.start(new AbortController().signal);
    const body = new TextEncoder().encode(JSON.stringify({ update_id: 77, message: { message_id: 9, date: 0, chat: { id: 5, type: 'private' }, from: { id: 5, is_bot: false, first_name: 'A' }, text: 'once' } }));
    const headers = { [SECRET_HEADER]: SECRET };
    expect((await account.handleWebhook({ headers, body })).status).toBe(200);
    expect((await account.handleWebhook({ headers, body })).status).toBe(200);
    await eventually(() => expect(account.status().counters).toMatchObject({ received: 1, duplicates: 1 }));
    expect(t.received).toHaveLength(1);
  });

  it('answers 400 to a body that is not an update, and 503 while stopped so that Telegram retries', async () => {
    const headers = { [SECRET_HEADER]: SECRET };
    expect((await account.handleWebhook({ headers, body: new TextEncoder().encode('{"update_id":1}') })).status).toBe(503);
    await account.start(new AbortController().signal);
    const broken = await account.handleWebhook({ headers, body: new TextEncoder().encode('{oops') });
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.body).error).toMatch(/^the body is not JSON: /);
    expect((await account.handleWebhook({ headers, body: new TextEncoder().encode('[]') })).status).toBe(400);
  });

  it('sets the webhook back when someone changes it, and says so', async () => {
    await account.start(new AbortController().signal);
    await eventually(() => expect(t.bot.webhook?.url).toBe(url));
    t.bot.webhook = { url: 'https://elsewhere.example/hook', delivering: false, attempts: 0 };
    await t.timers.advanceUntil(() => t.bot.webhook?.url === url, { stepMs: 10_000 });
    expect(account.status().warning).toBe(`the webhook was changed to "https://elsewhere.example/hook" outside this gateway (another deployment?); it is set back to ${url}`);
  });

  it('reports that Telegram cannot deliver to the webhook URL', async () => {
    const dead = t.account({ mode: 'webhook', webhook_url: 'http://127.0.0.1:9/channels/telegram/dead', webhook_secret: SECRET }, { accountId: 'dead', tuning: { webhookCheckIntervalMs: 1_000 } });
    await dead.start(new AbortController().signal);
    const alice = t.fake.user('Alice');
    t.fake.userSays(t.bot, { chat: t.fake.privateChat(alice), from: alice, text: 'lost?' });
    await eventually(() => expect(t.bot.webhook?.lastErrorMessage).toBeDefined());
    await t.timers.advanceUntil(() => dead.status().consecutiveFailures > 0, { stepMs: 1_000 });
    expect(dead.status().problem).toMatch(/^Telegram could not deliver to http:\/\/127\.0\.0\.1:9\/channels\/telegram\/dead: Connection refused .* \(1 update\(s\) waiting\) \(1 failure\(s\) in a row\)$/);
  });

  it('answers 404 to webhook requests for an account that polls', async () => {
    const poller = t.account({}, { accountId: 'poller' });
    expect(await poller.handleWebhook({ headers: {}, body: new Uint8Array() })).toEqual({ status: 404, body: JSON.stringify({ ok: false, error: 'Telegram account poller runs in polling mode; it takes no webhook requests' }) });
  });
});
