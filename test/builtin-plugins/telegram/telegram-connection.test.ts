import { describe, expect, it, vi } from 'vitest';
import { closedPort } from '../webhook/webhook-test-kit.js';
import { startFake, startTelegram } from './telegram-plugin-kit.js';

const eventually = <T>(assertion: () => T | Promise<T>) => vi.waitFor(assertion, { timeout: 20_000, interval: 20 });
const open = { dm_policy: 'open', allow_from: ['*'] };
const SECRET = 'a-telegram-webhook-secret-0123456789';

describe('Telegram connections', () => {
  it('recovers from 409 Conflict (another poller took the bot) without a restart, and health says so meanwhile', async () => {
    const { fake, bot } = await startFake();
    const setup = await startTelegram(fake, bot, { account: open });
    expect(setup.health.status().accounts?.main).toMatchObject({ connected: true, state: 'connected' });

    fake.startForeignPoller(bot);
    await eventually(() => expect(setup.health.status().accounts?.main?.error).toMatch(/409 Conflict/));
    expect(setup.health.status().accounts?.main).toMatchObject({ connected: false, state: 'reconnecting' });
    expect(setup.health.status().connected).toBe(false);

    fake.stopForeignPoller(bot);
    const ada = fake.user('Ada');
    fake.userSays(bot, { chat: fake.privateChat(ada), from: ada, text: 'are you back?' });
    await eventually(() => expect(setup.received.map((m) => m.content)).toEqual(['are you back?']));
    await eventually(() => expect(setup.health.status().accounts?.main).toMatchObject({ connected: true, state: 'connected' }));
    // Each retry cleared a webhook that might have caused the conflict.
    expect(fake.callsOf('deleteWebhook').length).toBeGreaterThanOrEqual(2);
  });

  it('receives in webhook mode through the HTTP plugin, and refuses a request without the secret token', async () => {
    const { fake, bot } = await startFake();
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/channels/telegram/main`;
    const setup = await startTelegram(fake, bot, { account: { ...open, mode: 'webhook', webhook_url: url, webhook_secret: SECRET }, httpPort: port });
    expect(fake.callsOf('setWebhook').at(-1)!.params).toMatchObject({ url, secret_token: SECRET });

    const ada = fake.user('Ada');
    fake.userSays(bot, { chat: fake.privateChat(ada), from: ada, text: 'pushed to you' });
    await eventually(() => expect(setup.received.map((m) => m.content)).toEqual(['pushed to you']));

    const forged = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'guess' }, body: JSON.stringify({ update_id: 99, message: {} }) });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ ok: false, error: 'missing or wrong x-telegram-bot-api-secret-token: only Telegram, given webhook_secret by setWebhook, may post here' });
    const unknown = await fetch(`http://127.0.0.1:${port}/channels/telegram/other`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect(setup.received).toHaveLength(1);
  });

  it('login says exactly what is wrong: a rejected token, an unreachable API; and what is right', async () => {
    const { fake, bot } = await startFake();
    const lines: string[] = [];
    const print = (line: string) => void lines.push(line);
    const signal = AbortSignal.timeout(10_000);

    const good = await startTelegram(fake, bot, { start: false });
    await good.login.login({ accountId: 'main', signal, print });
    expect(lines).toEqual([`✓ main: bot @nexus_helper_bot (id ${bot.user.id}) answers at ${fake.apiRoot}`]);

    fake.revokeToken(bot);
    lines.length = 0;
    const text = `Telegram rejected the bot token of account main (401 Unauthorized): it is wrong or was revoked. Get the current token from @BotFather (/token) and set channels.telegram.accounts.main.bot_token`;
    await expect(good.login.login({ accountId: 'main', signal, print })).rejects.toThrow(text);
    expect(lines).toEqual([`✗ main: ${text}`]);
    expect(lines.join('\n')).not.toContain(bot.token.split(':')[1]);

    const port = await closedPort();
    const down = await startTelegram(fake, bot, { account: { api_base_url: `http://127.0.0.1:${port}` }, start: false });
    await expect(down.login.login({ accountId: 'main', signal, print })).rejects.toThrow(
      new RegExp(`^cannot reach the Telegram Bot API at http://127\\.0\\.0\\.1:${port} \\(.+\\): check channels\\.telegram\\.accounts\\.main\\.api_base_url and this host's network, DNS or proxy$`),
    );
    await expect(good.login.login({ accountId: 'nope', signal, print })).rejects.toThrow('there is no Telegram account "nope" (channels.telegram.accounts has main)');
  });
});
