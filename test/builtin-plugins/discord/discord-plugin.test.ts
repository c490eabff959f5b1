import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DISCORD_ACCOUNT_SCHEMA } from '../../../src/builtin-plugins/discord/engine/index.js';
import { Kernel, MemoryLogger } from '../../../src/kernel/index.js';
import { configFromData } from '../../../src/kernel/config/index.js';
import { ChannelPairingStoreToken, DoctorChecks } from '@nexus/plugin-sdk';
import { startFakeDiscord, type FakeDiscord } from '../../fixtures/platforms/discord/index.js';
import { manualClock } from '../../channels/channel-test-kit.js';
import { tempDir } from '../http/http-test-kit.js';
import { eventually, startDiscordPlugin } from './discord-plugin-kit.js';

const STRANGER = { id: '300000000000000009', username: 'mallory', global_name: null, discriminator: '0', avatar: null };
const FRIEND = { id: '300000000000000001', username: 'alice', global_name: 'Alice', discriminator: '0', avatar: null };

function dmChannel(discord: FakeDiscord): string {
  return discord.addChannel({ dm: true }).id;
}

describe('discord plugin: activation', () => {
  it('declares the engine account schema in its manifest, as channels.discord.accounts.<name>', () => {
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../../../src/builtin-plugins/discord/nexus.plugin.json'), 'utf8')) as { contributes: { configSections: { section: string; schema: { $defs: { account: unknown } } }[] } };
    const [section] = manifest.contributes.configSections;
    const { $schema, ...account } = DISCORD_ACCOUNT_SCHEMA;
    expect($schema).toContain('2020-12');
    expect(section).toMatchObject({ section: 'channels.discord' });
    expect(section!.schema.$defs.account).toEqual(account);
  });

  it('is installed but off, importing nothing, until an account is configured', () => {
    const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
    const kernel = (settings: Record<string, unknown>) =>
      new Kernel({ config: configFromData(settings), home: tempDir('nexus-discord-'), workspaceDir: tempDir('nexus-discord-'), builtinDirs: [builtins], packageDirs: [], logger: new MemoryLogger(), discoveryIndex: false });
    expect(kernel({}).list().find((p) => p.id === 'discord')).toMatchObject({ enabled: false, state: 'disabled' });
    expect(kernel({ channels: { discord: { accounts: { bot: { bot_token: 'x' } } } } }).list().find((p) => p.id === 'discord')).toMatchObject({ enabled: true });
  });
});

describe('discord plugin: sessions', () => {
  it('scopes sessions per thread by default, and a thread joins its channel with session.discord_scope: channel', async () => {
    for (const [scope, expectSame] of [['thread', false], ['channel', true]] as const) {
      const { discord, received, conversation } = await startDiscordPlugin({ session: { discord_scope: scope } });
      const channel = discord.addChannel();
      const thread = discord.addThread(channel.id, 'a topic');
      discord.dispatchMessage(discord.message({ channel_id: channel.id, content: 'in the channel' }));
      discord.dispatchMessage(discord.message({ channel_id: thread.id, content: 'in the thread' }));
      await eventually(() => received.length === 2, 'two messages');
      const id = (text: string) => conversation.conversationId(received.find((m) => m.content === text)!);
      const [inChannel, inThread] = [id('in the channel'), id('in the thread')];
      expect(inChannel).toBe(`main:${channel.id}`);
      expect(inThread === inChannel).toBe(expectSame);
    }
  });
});

describe('discord plugin: replies streamed and edited in place', () => {
  it('shows typing, posts the reply once text arrives, edits it as text grows, and settles the final text', async () => {
    const { discord, replies, received, health } = await startDiscordPlugin();
    const channel = dmChannel(discord);
    discord.dispatchMessage(discord.message({ channel_id: channel, content: 'explain' }));
    await eventually(() => received.length === 1, 'the message');
    const draft = replies.open({ inbound: received[0]!, target: `main:${channel}`, signal: AbortSignal.timeout(30_000) });
    await eventually(() => discord.typing.includes(channel), 'typing');
    draft.update('The first part');
    await eventually(() => discord.sent.length === 1, 'the reply was posted');
    draft.update('The first part, and the second');
    const receipt = await draft.finish('The first part, and the second. Done.');
    expect(discord.sent).toHaveLength(1);
    expect(discord.edits.length).toBeGreaterThanOrEqual(1);
    expect(discord.messages.get(discord.sent[0]!.id)?.content).toBe('The first part, and the second. Done.');
    expect(receipt.externalId).toBe(discord.sent[0]!.id);
    expect(health.status().accounts?.main).toMatchObject({ sent: 1, failed: 0, received: 1 });
  });

  it('deletes a partial reply when the turn is abandoned', async () => {
    const { discord, replies, received } = await startDiscordPlugin();
    const channel = dmChannel(discord);
    discord.dispatchMessage(discord.message({ channel_id: channel, content: 'explain' }));
    await eventually(() => received.length === 1, 'the message');
    const draft = replies.open({ inbound: received[0]!, target: `main:${channel}`, signal: AbortSignal.timeout(30_000) });
    draft.update('half an ans');
    await eventually(() => discord.sent.length === 1, 'the partial reply was posted');
    await draft.abandon('the provider failed');
    expect(discord.deleted).toEqual([discord.sent[0]!.id]);
  });
});

describe('discord plugin: connection health', () => {
  it('reports a zombie connection as not connected from its frame age, and the probe replaces it', async () => {
    const clock = manualClock();
    const { discord, health, received } = await startDiscordPlugin({ clock });
    const channel = dmChannel(discord);
    expect(health.status().accounts?.main).toMatchObject({ connected: true, state: 'connected' });
    discord.goHalfOpen();
    clock.advance(106_000);
    const stale = health.status();
    expect(stale.connected).toBe(false);
    expect(stale.accounts?.main?.error).toMatch(/no frame from Discord for 106000 ms \(a zombie connection/);
    await health.probe({ signal: AbortSignal.timeout(10_000) });
    await eventually(() => health.status().accounts?.main?.connected === true && discord.gateway.resumes.length === 1, 'the session resumed on a new connection');
    discord.dispatchMessage(discord.message({ channel_id: channel, content: 'heard again' }));
    await eventually(() => received.length === 1, 'a message on the new connection');
  });

  it('identifies afresh when Discord invalidates the session, instead of resuming forever', async () => {
    const { discord, health } = await startDiscordPlugin();
    discord.gateway.resumeBehaviour = { invalidSession: true };
    discord.dropSockets();
    await eventually(() => discord.gateway.identifies.length === 2 && health.status().accounts?.main?.connected === true, 'a fresh IDENTIFY', 30_000);
    expect(discord.gateway.resumes).toHaveLength(3);
  });
});

describe('discord plugin: sustained inbound', () => {
  it('hands over 1,000 messages in 50 channels each once, in order within each channel', async () => {
    const { discord, received } = await startDiscordPlugin();
    const channels = Array.from({ length: 50 }, () => dmChannel(discord));
    const messages = Array.from({ length: 1_000 }, (_, i) => discord.message({ channel_id: channels[i % 50]!, content: `message ${i}` }));
    // Some are dispatched twice (as a RESUME replays them); each channel is handled in order, so
    // the repeats are judged before the last message of their channel is handed over.
    for (const message of [...messages.slice(0, 500), ...messages.slice(0, 100), ...messages.slice(500)]) discord.dispatchMessage(message);
    await eventually(() => received.length === 1_000, 'all 1,000 messages', 60_000);
    expect(new Set(received.map((m) => m.externalId)).size).toBe(1_000);
    for (const channel of channels) {
      const order = received.filter((m) => m.metadata?.discord_channel_id === channel).map((m) => Number(m.content.split(' ')[1]));
      expect(order).toHaveLength(20);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  }, 120_000);
});

describe('discord plugin: de-duplication across restarts', () => {
  it('runs a message dispatched again after a restart once, through the database', async () => {
    const discord = await startFakeDiscord({ heartbeatIntervalMs: 60_000 });
    const database = { path: join(tempDir('nexus-discord-db-'), 'nexus.db') };
    const channel = dmChannel(discord);
    const first = await startDiscordPlugin({ discord, database });
    const message = discord.message({ channel_id: channel, content: 'only once' });
    discord.dispatchMessage(message);
    await eventually(() => first.received.length === 1, 'the first delivery');
    await first.lifecycle.stop();
    await first.kernel.stop();

    const second = await startDiscordPlugin({ discord, database });
    discord.dispatchMessage(message);
    discord.dispatchMessage(discord.message({ channel_id: channel, content: 'a new one' }));
    await eventually(() => second.received.length === 1, 'the new message');
    expect(second.received.map((m) => m.content)).toEqual(['a new one']);
    await discord.close();
  });
});

describe('discord plugin: access policy', () => {
  it('gives an unknown DM sender a pairing code once, refuses and counts their messages, and lets them in once approved', async () => {
    const { discord, received, health, kernel } = await startDiscordPlugin({ account: { dm_policy: 'pairing', allow_from: [] } });
    const pairings = await kernel.services.get(ChannelPairingStoreToken);
    const channel = dmChannel(discord);
    discord.dispatchMessage(discord.message({ channel_id: channel, content: 'hi', author: STRANGER }));
    discord.dispatchMessage(discord.message({ channel_id: channel, content: 'hello?', author: STRANGER }));
    await eventually(() => health.status().accounts?.main?.refused === 2, 'both refused');
    expect(received).toEqual([]);
    const pending = await pairings.list({ channel: 'discord' });
    expect(pending).toMatchObject([{ channel: 'discord', accountId: 'main', senderId: STRANGER.id, senderName: 'mallory', status: 'pending' }]);
    const code = pending[0]!.code;
    expect(discord.sent).toHaveLength(1);
    expect(discord.sent[0]!.content).toContain(`nexus channels pair approve discord ${code}`);

    await pairings.decide('discord', code, 'approved');
    discord.dispatchMessage(discord.message({ channel_id: channel, content: 'now?', author: STRANGER }));
    await eventually(() => received.length === 1, 'the approved sender got through');
  });

  it('in servers, serves only allow_from senders and only when mentioned', async () => {
    const { discord, received, health } = await startDiscordPlugin({ account: { dm_policy: 'disabled', group_policy: 'allowlist', allow_from: [FRIEND.id], require_mention: true } });
    const channel = discord.addChannel().id;
    const mention = [discord.botUser];
    discord.dispatchMessage(discord.message({ channel_id: channel, content: `<@${discord.botUser.id}> from a stranger`, author: STRANGER, mentions: mention }));
    discord.dispatchMessage(discord.message({ channel_id: channel, content: 'no mention', author: FRIEND }));
    discord.dispatchMessage(discord.message({ channel_id: dmChannel(discord), content: 'a DM', author: FRIEND }));
    discord.dispatchMessage(discord.message({ channel_id: channel, content: `<@${discord.botUser.id}> from a friend`, author: FRIEND, mentions: mention }));
    await eventually(() => received.length === 1 && health.status().accounts?.main?.refused === 3, 'one admitted, three refused');
    expect(received[0]!.content).toBe('from a friend');
  });

  it('serves only the senders of a channel listed in group_allow_from there, even under group_policy: open', async () => {
    const team = '400000000000000001';
    const { discord, received, health } = await startDiscordPlugin({ account: { dm_policy: 'disabled', group_policy: 'open', allow_from: [], require_mention: false, group_allow_from: { [team]: [FRIEND.id] } } });
    discord.addChannel({ id: team });
    const other = discord.addChannel().id;
    discord.dispatchMessage(discord.message({ channel_id: team, content: 'stranger in team', author: STRANGER }));
    discord.dispatchMessage(discord.message({ channel_id: team, content: 'friend in team', author: FRIEND }));
    discord.dispatchMessage(discord.message({ channel_id: other, content: 'stranger elsewhere', author: STRANGER }));
    await eventually(() => received.length === 2 && health.status().accounts?.main?.refused === 1, 'two admitted, one refused');
    expect(received.map((message) => message.content).sort()).toEqual(['friend in team', 'stranger elsewhere']);
  });
});

describe('discord plugin: login', () => {
  it('prints who the bot is when the token works', async () => {
    const { login } = await startDiscordPlugin({ start: false });
    const lines: string[] = [];
    await login.login({ accountId: 'main', signal: AbortSignal.timeout(10_000), print: (line) => lines.push(line) });
    expect(lines).toEqual(['discord/main: the bot token works: nexus-bot (100000000000000001); Message Content intent enabled', 'discord/main: ready']);
  });

  it('says exactly what is wrong with a bad token, and with the Message Content intent off', async () => {
    const bad = await startDiscordPlugin({ start: false, account: { bot_token: 'not-the-token' } });
    await expect(bad.login.login({ accountId: 'main', signal: AbortSignal.timeout(10_000), print: () => undefined })).rejects.toThrow(
      'discord/main: Discord rejected the bot token (401: Unauthorized) on GET /users/@me; check channels.discord.accounts.main.bot_token (Developer Portal → Bot → Reset Token)',
    );
    const discord = await startFakeDiscord({ messageContent: 'disabled' });
    const off = await startDiscordPlugin({ discord, start: false });
    await expect(off.login.login({ accountId: 'main', signal: AbortSignal.timeout(10_000), print: () => undefined })).rejects.toThrow(
      'discord/main: the Message Content intent is off for this bot, so messages would arrive without their text (and the gateway refuses it with close 4014): enable Bot → Privileged Gateway Intents → Message Content Intent in the Developer Portal',
    );
    await discord.close();
  });
});

describe('discord plugin: doctor', () => {
  it('probes an account this process did not start by its credentials alone', async () => {
    const { health } = await startDiscordPlugin({ start: false });
    expect(await health.probe({ signal: AbortSignal.timeout(10_000) })).toMatchObject({ healthy: true, message: 'discord/main: the credentials work (not connected from this process)' });
  });

  it('with --probe, reports the Message Content intent off as an error', async () => {
    const discord = await startFakeDiscord({ messageContent: 'disabled' });
    const { kernel } = await startDiscordPlugin({ discord, start: false });
    const probe = await (await kernel.contributions.get(DoctorChecks, 'discord-probe')).run({ signal: AbortSignal.timeout(10_000), probe: true });
    expect(probe).toEqual([
      {
        level: 'error',
        message:
          'discord/main: the Message Content intent is off for this bot, so messages would arrive without their text (and the gateway refuses it with close 4014): enable Bot → Privileged Gateway Intents → Message Content Intent in the Developer Portal',
      },
    ]);
    await discord.close();
  });
});
