import { describe, expect, it } from 'vitest';
import { DiscordAccount, discordAccountSettings, DISCORD_INTENTS } from '../../../src/builtin-plugins/discord/engine/index.js';
import { MemoryLogger } from '@nexus/plugin-sdk/testing';
import { Intent } from '../../fixtures/platforms/discord/index.js';
import { eventually } from '../../fixtures/platforms/shared/index.js';
import { closedPort, manualClock, recordingWait } from '../channel-test-kit.js';
import { noIdentifyWait, sessions, startDiscord, TEST_TIMING } from './discord-test-kit.js';

describe('Discord gateway', () => {
  it('identifies with the message, DM and thread intents and reports a fresh connection', async () => {
    const { discord, account } = await startDiscord();
    expect(discord.gateway.identifies).toHaveLength(1);
    expect(discord.gateway.identifies[0]).toMatchObject({ token: '<valid>', intents: DISCORD_INTENTS, shard: [0, 1] });
    expect(DISCORD_INTENTS & Intent.MessageContent).toBe(Intent.MessageContent);
    expect(account.status()).toMatchObject({ state: 'connected', healthy: true, identified: 1, resumed: 0, botUserId: discord.botUser.id });
  });

  it('resumes after a dropped socket and receives, once, what was sent while it was down', async () => {
    const { discord, account, received } = await startDiscord();
    const channel = discord.addChannel();
    discord.dropSockets();
    discord.dispatchMessage(discord.message({ channel_id: channel.id, content: 'sent while down' }));
    await sessions(account, 1, 1);

    expect(discord.gateway.identifies).toHaveLength(1);
    expect(discord.gateway.resumes).toHaveLength(1);
    await eventually(() => received.length === 1, 'the missed message was replayed');
    expect(received[0]!.content).toBe('sent while down');
  });

  it('backs off with jitter between reconnects, longer after each failed one', async () => {
    const { discord, account, waits } = await startDiscord();
    for (let resumed = 1; resumed <= 3; resumed++) {
      discord.dropSockets();
      await sessions(account, 1, resumed);
    }
    expect(waits).toEqual([750, 1_500, 3_000]);
  });

  it('resumes when Discord asks it to reconnect (OP 7)', async () => {
    const { discord, account } = await startDiscord();
    discord.sendReconnect();
    await sessions(account, 1, 1);
    expect(discord.gateway.identifies).toHaveLength(1);
  });

  it('identifies afresh after an invalid session that cannot be resumed (OP 9, false)', async () => {
    const { discord, account } = await startDiscord();
    discord.sendInvalidSession(false);
    await sessions(account, 2);
    expect(discord.gateway.resumes).toHaveLength(0);
  });

  it('gives up a session that keeps answering RESUME with OP 9 and identifies afresh', async () => {
    const { discord, account } = await startDiscord();
    discord.gateway.resumeBehaviour = { invalidSession: true };
    discord.dropSockets();
    await sessions(account, 2);
    expect(discord.gateway.resumes).toHaveLength(3);
    expect(discord.gateway.identifies).toHaveLength(2);
  });

  it('gives up a session whose RESUMEs keep failing on new connections and identifies afresh', async () => {
    const { discord, account, waits } = await startDiscord();
    discord.gateway.resumeBehaviour = 'drop';
    discord.dropSockets();
    await sessions(account, 2);
    expect(discord.gateway.resumes).toHaveLength(3);
    expect(discord.gateway.identifies).toHaveLength(2);
    expect(waits).toEqual([750, 1_500, 3_000, 6_000]);
  });

  it('replaces a zombie connection whose heartbeats go unanswered, and resumes', async () => {
    const { discord, account } = await startDiscord({ fake: { heartbeatIntervalMs: 50 } });
    await eventually(() => discord.connections[0]!.received.some((f) => f.op === 1), 'a heartbeat was sent');
    discord.stopAcking();
    await sessions(account, 1, 1);
    expect(discord.connections[0]!.open).toBe(false);
    expect(account.status()).toMatchObject({ state: 'connected', lastClose: '4200' });
  });

  it('detects a half-open connection from the age of its last frame, replaces it, and messages flow again', async () => {
    const { discord, account, received, clock } = await startDiscord();
    const channel = discord.addChannel();
    discord.goHalfOpen();
    expect(account.status().healthy).toBe(true);

    clock.advance(TEST_TIMING.staleAfterMs + 1);
    expect(account.status()).toMatchObject({ state: 'connected', healthy: false });
    expect(account.checkLiveness()).toBe(true);
    await sessions(account, 1, 1);

    expect(account.status()).toMatchObject({ healthy: true, lastClose: `stale: no dispatch or heartbeat ACK for ${TEST_TIMING.staleAfterMs + 1} ms` });
    expect(discord.gateway.identifies).toHaveLength(1);
    discord.dispatchMessage(discord.message({ channel_id: channel.id, content: 'heard again' }));
    await eventually(() => received.length === 1, 'a message arrived on the new connection');
    expect(received).toHaveLength(1);
  });

  it('counts heartbeat ACKs as signs of life: a quiet but live connection is not replaced', async () => {
    const { discord, account, clock } = await startDiscord({ fake: { heartbeatIntervalMs: 30 } });
    clock.advance(TEST_TIMING.staleAfterMs + 1);
    await eventually(() => (account.status().inboundAgeMs ?? Infinity) === 0, 'a heartbeat ACK arrived');
    expect(account.checkLiveness()).toBe(false);
    expect(discord.connections).toHaveLength(1);
  });

  it('stops with the reason when the Message Content intent is not allowed (close 4014)', async () => {
    const { discord, account } = await startDiscord({ fake: { messageContent: 'disabled' }, connect: false });
    await eventually(() => account.status().state === 'failed', 'the account gave up');
    expect(account.status().error).toBe(
      'Discord refused the Message Content intent (gateway close 4014, disallowed intents): enable Bot → Privileged Gateway Intents → Message Content Intent in the Developer Portal',
    );
    expect(discord.gateway.identifies).toHaveLength(1);
    expect(discord.connections).toHaveLength(1);
  });

  it('stops with the reason when the bot token is rejected', async () => {
    const { discord, account } = await startDiscord({ settings: { bot_token: 'not-the-token' }, connect: false });
    await eventually(() => account.status().state === 'failed', 'the account gave up');
    expect(account.status().error).toBe(
      'Discord rejected the bot token (401: Unauthorized) on GET /gateway/bot; check channels.discord.accounts.main.bot_token (Developer Portal → Bot → Reset Token)',
    );
    expect(discord.connections).toHaveLength(0);
  });

  it('stops with the reason when the token is reset while connected (close 4004 on RESUME)', async () => {
    const { discord, account } = await startDiscord();
    discord.resetToken('a-fresh-token');
    discord.dropSockets();
    await eventually(() => account.status().state === 'failed', 'the account gave up');
    expect(account.status()).toMatchObject({
      lastClose: '4004',
      error: 'Discord rejected the bot token when identifying (gateway close 4004); check channels.discord.accounts.main.bot_token (Developer Portal → Bot → Reset Token)',
    });
    expect(discord.gateway.resumes).toEqual([expect.objectContaining({ token: '<invalid>' })]);
  });

  it('waits as long as Discord says when GET /gateway/bot is rate-limited', async () => {
    const { discord, account, waits } = await startDiscord();
    discord.rateLimit('GET /gateway/bot', 2, 1);
    await account.stop();
    await account.start();
    await sessions(account, 2);
    expect(waits).toEqual([2_050]);
    expect(discord.requests.filter((r) => r.route === 'GET /gateway/bot').map((r) => r.status)).toEqual([200, 429, 200]);
  });

  it('keeps retrying with backoff while the API cannot be reached', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/api`;
    const { waits, wait } = recordingWait();
    const account = new DiscordAccount({
      accountId: 'main',
      settings: discordAccountSettings({ bot_token: 'whatever', api_base_url: url }),
      clock: manualClock(),
      logger: new MemoryLogger(),
      wait,
      random: () => 0,
      timing: TEST_TIMING,
      restRetries: 0,
      identifyThrottler: noIdentifyWait,
    });
    try {
      await account.start();
      await eventually(() => waits.length >= 3, 'three attempts failed');
      expect(waits.slice(0, 3)).toEqual([500, 1_000, 2_000]);
      expect(account.status()).toMatchObject({
        state: 'reconnecting',
        error: `cannot reach the Discord API at ${url} (ECONNREFUSED); check the network and channels.discord.accounts.main.api_base_url`,
      });
    } finally {
      await account.stop();
    }
  });

  it('after a stop and a start, a message delivered again is handed on only once', async () => {
    const { discord, account, received } = await startDiscord();
    const channel = discord.addChannel();
    const message = discord.message({ channel_id: channel.id, content: 'exactly once' });
    discord.dispatchMessage(message);
    await eventually(() => received.length === 1, 'the message arrived');

    await account.stop();
    expect(account.status().state).toBe('stopped');
    await eventually(() => discord.openConnections().length === 0, 'the connection closed');
    await account.start();
    await sessions(account, 2);
    discord.dispatchMessage(message);
    discord.dispatchMessage(discord.message({ channel_id: channel.id, content: 'a new one' }));
    await eventually(() => received.length === 2, 'the new message arrived');
    await account.idle();

    expect(received.map((m) => m.content)).toEqual(['exactly once', 'a new one']);
    expect(account.status().duplicates).toBe(1);
  });

  it('logs no token, whatever happens', async () => {
    const { discord, account, logger } = await startDiscord();
    discord.dropSockets();
    await sessions(account, 1, 1);
    await account.login();
    expect(JSON.stringify(logger.entries)).not.toContain(discord.token);
  });
});
