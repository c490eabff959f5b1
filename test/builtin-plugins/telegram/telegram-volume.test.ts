import { describe, expect, it, vi } from 'vitest';
import type { Update } from 'grammy/types';
import type { ChatState } from '../../fixtures/platforms/telegram/index.js';
import { messageKey } from '../../fixtures/platforms/telegram/fake-state.js';
import { startFake, startTelegram } from './telegram-plugin-kit.js';

/**
 * Many chats at once through the loaded plugin: every message handed on exactly once, and in
 * the order it was written within its chat, while a slow handler (the agent) lets the queues of
 * different chats interleave.
 */
describe('Telegram under load', () => {
  it('hands on 600 messages from 30 chats with no loss, no duplicate, and order kept per chat', async () => {
    const { fake, bot } = await startFake();
    const setup = await startTelegram(fake, bot, { account: { dm_policy: 'open', allow_from: ['*'] }, start: false });
    const seen: { chat: string; text: string }[] = [];
    setup.inbound.onMessage(async (message) => {
      // A handler that takes a moment, differently per message, as turns do.
      await new Promise((resolve) => setTimeout(resolve, Number(message.externalId.split(':')[1]) % 3));
      seen.push({ chat: String(message.metadata?.chat_id), text: message.content });
    });
    await setup.lifecycle.start(AbortSignal.timeout(10_000));

    const chats: ChatState[] = Array.from({ length: 30 }, (_, i) => {
      const user = fake.user(`user${i}`);
      return fake.privateChat(user);
    });
    for (let n = 0; n < 20; n++) {
      for (const chat of chats) fake.userSays(bot, { chat, from: { id: chat.id, is_bot: false, first_name: 'x' }, text: `message ${n}` });
    }
    // A batch Telegram sends again (its offset was lost): nothing in it is handed on twice.
    const firsts = chats.slice(0, 5).map((chat) => fake.messages.get(messageKey(chat.id, 1)));
    expect(firsts.map((m) => m?.text)).toEqual(Array.from({ length: 5 }, () => 'message 0'));
    for (const message of firsts) fake.injectUpdate(bot, { message: message! } as Omit<Update, 'update_id'>);

    await vi.waitFor(() => expect(seen).toHaveLength(600), { timeout: 60_000, interval: 50 });
    for (const chat of chats) {
      expect(seen.filter((s) => s.chat === String(chat.id)).map((s) => s.text)).toEqual(Array.from({ length: 20 }, (_, n) => `message ${n}`));
    }
    expect(setup.health.status().accounts?.main).toMatchObject({ received: 600, refused: 0 });
  });
});
