import { describe, expect, it } from 'vitest';
import { checkDiscordLogin, DISCORD_ACCOUNT_SCHEMA, discordAccountSettings, type DiscordAccountSettings } from '../../../src/builtin-plugins/discord/engine/index.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../../fixtures/platforms/discord/index.js';
import { closedPort } from '../channel-test-kit.js';
import { startDiscord } from './discord-test-kit.js';

function login(discord: FakeDiscord, settings: Partial<DiscordAccountSettings> = {}) {
  return checkDiscordLogin({ accountId: 'main', settings: discordAccountSettings({ bot_token: discord.token, api_base_url: discord.apiUrl, ...settings }), timeoutMs: 5_000, now: () => 0 });
}

async function withFake(options: FakeDiscordOptions, run: (discord: FakeDiscord) => Promise<void>): Promise<void> {
  const discord = await startFakeDiscord(options);
  try {
    await run(discord);
  } finally {
    await discord.close();
  }
}

describe('Discord login check', () => {
  it('passes with a good token, saying who the bot is and that it may read message content', async () => {
    await withFake({}, async (discord) => {
      expect(await login(discord)).toMatchObject({
        ok: true,
        problems: [],
        warnings: [],
        identity: { userId: discord.botUser.id, username: 'nexus-bot', applicationId: discord.applicationId, messageContent: 'enabled' },
      });
    });
  });

  it('says the token was rejected, and which key holds it', async () => {
    await withFake({}, async (discord) => {
      expect(await login(discord, { bot_token: 'wrong' })).toEqual({
        ok: false,
        problems: ['Discord rejected the bot token (401: Unauthorized) on GET /users/@me; check channels.discord.accounts.main.bot_token (Developer Portal → Bot → Reset Token)'],
        warnings: [],
      });
    });
  });

  it('says the Message Content intent is off, or only limited', async () => {
    await withFake({ messageContent: 'disabled' }, async (discord) => {
      const report = await login(discord);
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([
        'the Message Content intent is off for this bot, so messages would arrive without their text (and the gateway refuses it with close 4014): enable Bot → Privileged Gateway Intents → Message Content Intent in the Developer Portal',
      ]);
      discord.setMessageContent('limited');
      expect(await login(discord)).toMatchObject({
        ok: true,
        warnings: ['the Message Content intent is limited: it works in fewer than 100 servers; beyond that the bot needs Discord to approve it'],
      });
    });
  });

  it('says when the gateway allows no more sessions today', async () => {
    await withFake({}, async (discord) => {
      discord.gateway.sessionStartRemaining = 0;
      expect((await login(discord)).problems).toEqual(['Discord allows no more gateway sessions for this bot until 1440 min from now (session start limit used up)']);
    });
  });

  it('spots a "Bot " prefix or a missing token before calling Discord', async () => {
    await withFake({}, async (discord) => {
      expect((await login(discord, { bot_token: `Bot ${discord.token}` })).problems).toEqual([
        'channels.discord.accounts.main.bot_token starts with "Bot "; give the token alone (the prefix is added when it is sent)',
      ]);
      expect((await login(discord, { bot_token: '' })).problems).toEqual(['channels.discord.accounts.main.bot_token is not set; it takes the bot token from the Developer Portal (Bot → Reset Token)']);
      expect(discord.requests).toEqual([]);
    });
  });

  it('says the API cannot be reached, with its URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/api`;
    const report = await checkDiscordLogin({ accountId: 'main', settings: discordAccountSettings({ bot_token: 'x', api_base_url: url }), timeoutMs: 5_000, now: () => 0 });
    expect(report.problems).toEqual([`cannot reach the Discord API at ${url} (ECONNREFUSED); check the network and channels.discord.accounts.main.api_base_url`]);
  });

  it('probes with the login check and the live connection', async () => {
    const { account, discord, clock } = await startDiscord();
    expect(await account.probe()).toMatchObject({ healthy: true, message: 'discord/main: connected, last frame 0 ms ago' });
    discord.setMessageContent('disabled');
    const broken = await account.probe();
    expect(broken.healthy).toBe(false);
    expect(broken.message).toContain('the Message Content intent is off for this bot');
    discord.setMessageContent('enabled');
    clock.advance(200_000);
    expect(await account.probe()).toMatchObject({ healthy: false, message: 'discord/main: connected but silent for 200000 ms (a zombie connection; it is being replaced)' });
  });

  it('describes each account with a schema whose defaults fail closed and whose token is a secret', () => {
    const { properties } = DISCORD_ACCOUNT_SCHEMA;
    expect(properties.bot_token.writeOnly).toBe(true);
    expect(properties.dm_policy.default).toBe('pairing');
    expect(properties.group_policy.default).toBe('allowlist');
    expect(properties.require_mention.default).toBe(true);
    expect(Object.keys(properties).sort()).toEqual(['allow_from', 'api_base_url', 'bot_token', 'dm_policy', 'group_allow_from', 'group_policy', 'max_attachment_bytes', 'require_mention']);
  });
});
