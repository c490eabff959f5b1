import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeChannelContract, type ChannelUnderTest } from '@nexus/plugin-sdk/channel';
import { DISCORD_MESSAGE_LIMIT } from '../../../src/builtin-plugins/discord/engine/index.js';
import { startFakeDiscord } from '../../fixtures/platforms/discord/index.js';
import { startDiscordPlugin } from './discord-plugin-kit.js';

/**
 * The Discord plugin under the SDK's channel contract suite: the platform is a fake Discord
 * speaking REST and the gateway WebSocket on 127.0.0.1. Conversations are DM channels, and a
 * redelivery is the same MESSAGE_CREATE (same message id) dispatched again.
 */
async function openDiscord(): Promise<ChannelUnderTest> {
  const discord = await startFakeDiscord({ heartbeatIntervalMs: 60_000 });
  const setup = await startDiscordPlugin({ discord, start: false });
  const channels = new Map<string, string>();
  const channelOf = (conversation: string) => {
    if (!channels.has(conversation)) channels.set(conversation, discord.addChannel({ dm: true }).id);
    return channels.get(conversation)!;
  };
  const ids = new Map<string, string>();
  return {
    channel: 'discord',
    lifecycle: setup.lifecycle,
    inbound: setup.inbound,
    outbound: setup.outbound,
    health: setup.health,
    conversation: setup.conversation,
    platform: {
      accountId: 'main',
      targetFor: (conversation) => `main:${channelOf(conversation)}`,
      async deliver(message) {
        if (!ids.has(message.id)) ids.set(message.id, discord.nextId());
        const author = { id: message.senderId, username: message.senderId, global_name: null, discriminator: '0', avatar: null };
        discord.dispatchMessage(discord.message({ id: ids.get(message.id)!, channel_id: channelOf(message.conversation), content: message.text, author }));
      },
      async received(target) {
        const channel = target.slice('main:'.length);
        return discord.sent.filter((message) => message.channel_id === channel).map((message) => message.content);
      },
      maxMessageLength: DISCORD_MESSAGE_LIMIT,
      rateLimitNext: (seconds) => discord.rateLimit('POST /channels/:id/messages', seconds),
    },
    close: async () => {
      await setup.kernel.stop();
      await discord.close();
    },
  };
}

describeChannelContract('discord', openDiscord, { describe, it, expect, beforeEach, afterEach });
