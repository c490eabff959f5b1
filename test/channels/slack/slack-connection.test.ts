import { describe, expect, it } from 'vitest';
import { SlackAccount, slackAccountSettings } from '../../../src/builtin-plugins/slack/engine/index.js';
import { MemoryLogger } from '@nexus/plugin-sdk/testing';
import { eventually } from '../../fixtures/platforms/shared/index.js';
import { manualClock, recordingWait } from '../channel-test-kit.js';
import { connected, startSlack, TEST_TIMING } from './slack-test-kit.js';

describe('Slack connection', () => {
  it('reconnects after Slack drops the socket, after a jittered backoff, and keeps receiving', async () => {
    const { slack, account, received, waits } = await startSlack();
    slack.dropSockets();
    await connected(account, 2);

    expect(waits).toEqual([750]); // first retry: ceiling 1 s, equal jitter at random() = 0.5
    slack.deliver(slack.message({ text: 'after the drop' }));
    await eventually(() => received.length === 1, 'a message arrived on the new socket');
    expect(slack.maxOpenSockets()).toBe(1);
    expect(account.status().lastDisconnect).toBe('closed');
  });

  it('backs off further with every failed attempt, and from the start once a connection was stable', async () => {
    const { slack, account, waits, clock } = await startSlack();
    for (let connects = 2; connects <= 4; connects++) {
      slack.dropSockets();
      await connected(account, connects);
    }
    expect(waits).toEqual([750, 1_500, 3_000]);

    clock.advance(30_000); // the production stableAfterMs: this connection counts as stable
    slack.dropSockets();
    await connected(account, 5);
    expect(waits.at(-1)).toBe(750);
  });

  it('reconnects at once when Slack asks for a refresh, closing the old socket first', async () => {
    const { slack, account, waits } = await startSlack();
    slack.requestRefresh();
    await connected(account, 2);

    expect(waits).toEqual([]);
    expect(account.status().lastDisconnect).toBe('refresh_requested');
    expect(slack.connections[0]!.open).toBe(false);
    expect(slack.maxOpenSockets()).toBe(1);
  });

  it('detects a half-open socket from the age of its last frame, replaces it, and messages flow again', async () => {
    const { slack, account, received, clock } = await startSlack();
    slack.goHalfOpen();
    expect(account.status()).toMatchObject({ state: 'connected', healthy: true });

    clock.advance(TEST_TIMING.staleAfterMs + 1);
    expect(account.status()).toMatchObject({ state: 'connected', healthy: false, inboundAgeMs: TEST_TIMING.staleAfterMs + 1 });
    expect(account.checkLiveness()).toBe(true);
    await connected(account, 2);

    expect(account.status()).toMatchObject({ healthy: true, lastDisconnect: `stale: no inbound frame for ${TEST_TIMING.staleAfterMs + 1} ms` });
    await eventually(() => slack.openSockets() === 1, 'the half-open socket is gone on Slack’s side too');
    slack.deliver(slack.message({ text: 'heard again' }));
    await eventually(() => received.length === 1, 'a message arrived on the new socket');
  });

  it('counts pongs and pings as signs of life: a quiet but live link is not replaced', async () => {
    const { slack, account, clock } = await startSlack({ engine: { timing: { ...TEST_TIMING, clientPingTimeoutMs: 150 } } });
    clock.advance(TEST_TIMING.staleAfterMs + 1);
    // The client pings every 50 ms; the next pong is a frame, so the age falls back to zero.
    await eventually(() => (account.status().inboundAgeMs ?? Infinity) === 0, 'a pong arrived');
    expect(account.checkLiveness()).toBe(false);
    expect(account.status().connects).toBe(1);
    expect(slack.connections).toHaveLength(1);
  });

  it('counts Slack’s own pings as signs of life too', async () => {
    const { account, clock } = await startSlack({ fake: { pingIntervalMs: 20 } });
    clock.advance(TEST_TIMING.staleAfterMs + 1);
    await eventually(() => (account.status().inboundAgeMs ?? Infinity) === 0, 'a server ping arrived');
    expect(account.checkLiveness()).toBe(false);
  });

  it('waits as long as Slack says when apps.connections.open is rate-limited', async () => {
    const { slack, account, waits } = await startSlack();
    slack.rateLimit('apps.connections.open', 30, 1);
    slack.dropSockets();
    await connected(account, 2);

    expect(waits).toEqual([750, 30_000]);
    expect(slack.calls.filter((c) => c.method === 'apps.connections.open').map((c) => c.status)).toEqual([200, 429, 200]);
  });

  it('never holds more than one socket for the account, whatever ends the connections', async () => {
    const { slack, account, clock } = await startSlack();
    let connects = 1;
    for (const end of ['drop', 'refresh', 'half-open', 'drop', 'half-open', 'refresh'] as const) {
      if (end === 'drop') slack.dropSockets();
      if (end === 'refresh') slack.requestRefresh();
      if (end === 'half-open') {
        slack.goHalfOpen();
        clock.advance(TEST_TIMING.staleAfterMs + 1);
        account.checkLiveness();
      }
      await connected(account, ++connects);
    }
    await eventually(() => slack.openSockets() === 1, 'every old socket closed');

    expect(slack.connections).toHaveLength(7);
    expect(slack.maxOpenSockets()).toBe(1);
    expect(account.status()).toMatchObject({ socketsOpen: 1, maxSocketsOpen: 1 });
  });

  it('stops reconnecting when Slack turns Socket Mode off for the app, and says how to fix it', async () => {
    const { slack, account } = await startSlack();
    slack.requestRefresh('link_disabled');
    await eventually(() => account.status().state === 'failed', 'the account gave up');

    expect(account.status().error).toBe('Slack turned Socket Mode off for this app (link_disabled); enable it under Settings → Socket Mode in the app configuration');
    expect(slack.connections).toHaveLength(1);
    expect(account.status().socketsOpen).toBe(0);
    await eventually(() => slack.openSockets() === 0, 'Slack saw the socket close');
  });

  it('gives up at once on an app-level token Slack rejects, with the reason', async () => {
    const { account, slack } = await startSlack({ settings: { app_token: 'xapp-not-the-right-one' }, connect: false });
    await eventually(() => account.status().state === 'failed', 'the account gave up');

    expect(account.status().error).toBe('Slack rejected the app-level token (invalid_auth) when calling apps.connections.open; check channels.slack.accounts.main.app_token');
    expect(slack.calls.filter((c) => c.method === 'apps.connections.open')).toHaveLength(1);
  });

  it('keeps retrying with backoff while the API cannot be reached, and connects once it can', async () => {
    const { slack } = await startSlack({ connect: false });
    const { waits, wait } = recordingWait();
    let reachable = false;
    const fetchWhenUp: typeof fetch = (input, init) => (reachable ? fetch(input, init) : Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })));
    const account = new SlackAccount({
      accountId: 'flaky',
      settings: slackAccountSettings({ bot_token: slack.botToken, app_token: slack.appToken, api_base_url: slack.apiUrl }),
      clock: manualClock(),
      logger: new MemoryLogger(),
      wait,
      random: () => 0,
      timing: TEST_TIMING,
      webRetryConfig: { retries: 0 },
      fetch: fetchWhenUp,
    });
    try {
      await account.start();
      await eventually(() => waits.length >= 3, 'three attempts failed');
      expect(account.status()).toMatchObject({ state: 'reconnecting', error: expect.stringContaining(`cannot reach the Slack API at ${slack.apiUrl} (ECONNREFUSED)`) as unknown });
      expect(waits.slice(0, 3)).toEqual([500, 1_000, 2_000]);
      reachable = true;
      await connected(account);
      expect(account.status().error).toBeUndefined();
    } finally {
      await account.stop();
    }
  });

  it('after a stop and a start, a message Slack delivers again is handed on only once', async () => {
    const { slack, account, received } = await startSlack();
    const event = slack.message({ text: 'exactly once' });
    slack.deliver(event);
    await eventually(() => received.length === 1, 'the message arrived');

    await account.stop();
    expect(account.status()).toMatchObject({ state: 'stopped', socketsOpen: 0 });
    await eventually(() => slack.openSockets() === 0, 'Slack saw the socket close');
    await account.start();
    await connected(account, 2);
    slack.deliver(event); // Slack retries an event it believes undelivered
    slack.deliver(slack.message({ text: 'a new one' }));
    await eventually(() => received.length === 2, 'the new message arrived');
    await account.idle();

    expect(received.map((m) => m.content)).toEqual(['exactly once', 'a new one']);
    expect(account.status().duplicates).toBe(1);
  });

  it('logs neither token, whatever happens', async () => {
    const { slack, account, logger } = await startSlack();
    slack.dropSockets();
    await connected(account, 2);
    await account.login();
    const text = JSON.stringify(logger.entries);
    expect(text).not.toContain(slack.botToken);
    expect(text).not.toContain(slack.appToken);
  });
});
