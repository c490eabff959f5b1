import { Bot } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTelegramTest, type TelegramTest, TEST_TUNING } from './telegram-test-kit.js';

const stallAfterMs = TEST_TUNING.pollTimeoutSeconds! * 1000 + TEST_TUNING.stallGraceMs!;

describe('Telegram connection resilience', () => {
  let t: TelegramTest;
  afterEach(() => t.close());

  it('treats 409 from another poller as recoverable: backs off, clears the webhook again, reports it, and carries on', async () => {
    t = await startTelegramTest();
    const account = t.account();
    t.fake.startForeignPoller(t.bot);
    await account.start(new AbortController().signal);
    await eventually(() => expect(account.status().counters.conflicts).toBe(1));
    const during = account.status();
    expect(during.healthy).toBe(false);
    expect(during.problem).toMatch(/409 Conflict: getUpdates answered 409: Conflict: terminated by other getUpdates request.*Another process polls this bot, or a webhook was set; clearing the webhook and retrying \(1 failure\(s\) in a row; retrying in \d+ s\)/);
    expect(during.state).toBe('backing_off');

    t.fake.stopForeignPoller(t.bot);
    const clearsBefore = t.fake.callsOf('deleteWebhook').length;
    await t.timers.advanceUntil(() => account.status().healthy);
    expect(t.fake.callsOf('deleteWebhook').length).toBe(clearsBefore + 1);
    expect(account.status()).toMatchObject({ state: 'running', consecutiveFailures: 0, counters: { conflicts: 1, reconnects: 1 } });

    const alice = t.fake.user('Alice');
    t.fake.userSays(t.bot, { chat: t.fake.privateChat(alice), from: alice, text: 'still here?' });
    await eventually(() => expect(t.received.map((m) => m.content)).toEqual(['still here?']));
  });

  it('recovers from a webhook set behind its back (409 while a webhook is active) by deleting it', async () => {
    t = await startTelegramTest({ allowHttpWebhooks: true });
    const account = t.account();
    await account.start(new AbortController().signal);
    await eventually(() => expect(account.status().healthy).toBe(true));
    // Someone registers a webhook for the same bot, as a second deployment would.
    await new Bot(t.bot.token, { client: { apiRoot: t.fake.apiRoot } }).api.setWebhook('http://127.0.0.1:9/elsewhere');
    await eventually(() => expect(account.status().problem).toContain("can't use getUpdates method while webhook is active"));
    await t.timers.advanceUntil(() => account.status().healthy);
    expect(t.bot.webhook).toBeUndefined();
  });

  it('backs off with growing, jittered delays while the API fails, and reconnects', async () => {
    t = await startTelegramTest();
    const account = t.account();
    await account.start(new AbortController().signal);
    await eventually(() => expect(account.status().healthy).toBe(true));
    t.fake.failNext('getUpdates', { error_code: 502, description: 'Bad Gateway' }, 3);
    const delays: number[] = [];
    await t.timers.advanceUntil(() => {
      const s = account.status();
      if (s.nextRetryAt !== undefined && s.consecutiveFailures > delays.length) delays.push(s.nextRetryAt - t.timers.now());
      return delays.length === 3 || (s.healthy && delays.length > 0);
    }, { stepMs: 50 });
    // Equal jitter with random() = 0.5: three quarters of 1 s, 2 s, 4 s.
    expect(delays).toEqual([750, 1500, 3000]);
    await t.timers.advanceUntil(() => account.status().healthy);
    expect(account.status().counters.reconnects).toBe(1);
  });

  it('detects a half-open API by the age of the last answered poll, abandons the dead request and recovers', async () => {
    t = await startTelegramTest();
    const account = t.account();
    await account.start(new AbortController().signal);
    await eventually(() => expect(account.status().healthy).toBe(true));
    t.fake.hang('getUpdates');
    await eventually(() => expect(t.fake.heldRequests).toBe(1));
    // The manual clock stands still while a poll is held, so the held poll is exactly as old
    // as the last answered one.
    await t.timers.advance(stallAfterMs - 1);
    expect(account.status().healthy).toBe(true);
    await t.timers.advance(1);
    const stalled = account.status();
    expect(stalled.healthy).toBe(false);
    expect(stalled.problem).toMatch(/no answer to getUpdates within 6 s from http:\/\/127\.0\.0\.1:\d+ \(slow or half-open connection\)/);
    expect(stalled.lastSuccessAgeMs).toBe(stallAfterMs);
    await eventually(() => expect(t.fake.heldRequests).toBe(0));

    t.fake.unhang();
    await t.timers.advanceUntil(() => account.status().healthy);
    const alice = t.fake.user('Alice');
    t.fake.userSays(t.bot, { chat: t.fake.privateChat(alice), from: alice, text: 'back' });
    await eventually(() => expect(t.received.map((m) => m.content)).toEqual(['back']));
  });

  it('reports a poll that has not answered for too long even before its deadline, from the age alone', async () => {
    t = await startTelegramTest();
    const account = t.account({}, { tuning: { stallGraceMs: 60_000 } });
    await account.start(new AbortController().signal);
    await eventually(() => expect(account.status().healthy).toBe(true));
    const lastOk = account.status().lastSuccessAt!;
    t.fake.hang('getUpdates');
    await eventually(() => expect(t.fake.heldRequests).toBe(1));
    // Health reads the same limit as the deadline; a status taken later than the limit shows
    // the age, whatever the poll itself is doing.
    await t.timers.advance(61_000 - 1);
    expect(account.status().healthy).toBe(true);
    await t.timers.advance(2);
    expect(account.status().lastSuccessAt).toBe(lastOk);
    expect(account.status().healthy).toBe(false);
  });

  it('stops for good on a revoked token and says what to do', async () => {
    t = await startTelegramTest();
    const account = t.account();
    await account.start(new AbortController().signal);
    await eventually(() => expect(account.status().healthy).toBe(true));
    t.fake.revokeToken(t.bot);
    await eventually(() => expect(account.status().state).toBe('failed'));
    expect(account.status().problem).toBe('Telegram rejected the bot token (401 Unauthorized): it is wrong or was revoked; get the current one from @BotFather (/token) and restart the channel');
    const polls = t.fake.callsOf('getUpdates').length;
    await t.timers.advance(120_000);
    expect(t.fake.callsOf('getUpdates').length).toBe(polls);
  });

  it('starts while the API is unreachable, says so in its status, and connects once it answers', async () => {
    t = await startTelegramTest();
    t.fake.failNext('getMe', { error_code: 503, description: 'Service Unavailable' }, 2);
    const account = t.account();
    await account.start(new AbortController().signal);
    expect(account.status()).toMatchObject({ healthy: false, problem: expect.stringContaining('getMe failed for account main (503): Service Unavailable') });
    await t.timers.advanceUntil(() => account.status().healthy);
    expect(account.status().bot).toEqual({ id: t.bot.user.id, username: 'nexus_helper_bot' });
  });

  it('never writes the bot token into its logs or status, whatever fails', async () => {
    t = await startTelegramTest();
    const account = t.account();
    t.fake.startForeignPoller(t.bot);
    await account.start(new AbortController().signal);
    await eventually(() => expect(account.status().counters.conflicts).toBe(1));
    t.fake.stopForeignPoller(t.bot);
    t.fake.hang('getUpdates');
    await t.timers.advanceUntil(() => account.status().lastError?.message.includes('half-open') === true, { stepMs: 1000 });
    t.fake.revokeToken(t.bot);
    t.fake.unhang();
    await t.timers.advanceUntil(() => account.status().state === 'failed', { stepMs: 1000 });
    const secret = t.bot.token.split(':')[1]!;
    expect(JSON.stringify(t.logger.entries)).not.toContain(secret);
    expect(JSON.stringify(account.status())).not.toContain(secret);
    expect(t.logger.entries.length).toBeGreaterThan(0);
  });
});
