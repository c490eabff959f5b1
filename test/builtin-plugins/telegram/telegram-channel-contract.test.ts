import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from 'grammy/types';
import { describeChannelContract, type ChannelUnderTest } from '@nexus/plugin-sdk/channel';
import type { ChatState, SentMessage } from '../../fixtures/platforms/telegram/index.js';
import { startFake, startTelegram } from './telegram-plugin-kit.js';

/**
 * The Telegram plugin under the SDK's channel contract suite, loaded by a kernel and talking to
 * the Bot API fake on 127.0.0.1. Each conversation is a private chat; a redelivery is the same
 * message coming back in a new update, as Telegram sends it when an offset was not confirmed.
 */
async function openTelegram(): Promise<ChannelUnderTest> {
  const { fake, bot } = await startFake();
  const setup = await startTelegram(fake, bot, { account: { dm_policy: 'open', group_policy: 'open', require_mention: false, allow_from: ['*'] }, start: false });
  const users = new Map<string, User>();
  const chats = new Map<string, ChatState>();
  const delivered = new Map<string, ReturnType<typeof fake.userSays>>();
  // Telegram user ids are integers: each sender of the suite is a user of the fake.
  const userOf = (senderId: string): User => {
    const user = users.get(senderId) ?? fake.user(senderId);
    users.set(senderId, user);
    return user;
  };
  // One chat per conversation: the sender's private chat for the first, groups (open to all) after.
  const chatOf = (conversation: string, senderId = 'user-1'): ChatState => {
    let chat = chats.get(conversation);
    if (!chat) {
      chat = chats.size === 0 ? fake.privateChat(userOf(senderId)) : fake.group(conversation);
      chats.set(conversation, chat);
    }
    return chat;
  };
  const visible = (sent: SentMessage) => sent.text;
  return {
    channel: 'telegram',
    lifecycle: setup.lifecycle,
    inbound: setup.inbound,
    outbound: setup.outbound,
    health: setup.health,
    conversation: setup.conversation,
    platform: {
      accountId: 'main',
      maxMessageLength: 4096,
      senderIdFor: (senderId) => String(userOf(senderId).id),
      targetFor: (conversation) => `main:${chatOf(conversation).id}`,
      async deliver(message) {
        const chat = chatOf(message.conversation, message.senderId);
        const earlier = delivered.get(message.id);
        if (earlier) {
          const { update_id: _id, ...again } = earlier;
          fake.injectUpdate(bot, again);
          return;
        }
        delivered.set(message.id, fake.userSays(bot, { chat, from: userOf(message.senderId), text: message.text }));
      },
      async received(target) {
        const chatId = Number(target.slice('main:'.length));
        return fake.sentBy(bot, chatId).map(visible);
      },
      rateLimitNext: (seconds) => fake.rateLimitNext('sendMessage', seconds),
    },
    close: () => setup.kernel.stop(),
  };
}

describeChannelContract('telegram', openTelegram, { describe, it, expect, beforeEach, afterEach });
