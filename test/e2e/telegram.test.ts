import { describe, expect, it } from 'vitest';
import { TelegramBotApiFake } from '../fixtures/platforms/telegram/index.js';
import { startFakeOpenAI, textReply } from '../fixtures/llm-servers/index.js';
import { fakeLlm, nexusInstance, onCleanup, storedMessages } from './serve-harness.js';

const OPEN = { dm_policy: 'open', allow_from: ['*'] };

async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('e2e: Telegram through a real gateway', { timeout: 120_000 }, () => {
  it('a DM runs a turn in the chat session; the streamed reply is one message edited in place; a restart repeats nothing', async () => {
    await using llm = await startFakeOpenAI();
    // Slow enough that the reply outgrows its first text before the turn ends (edits come at most once a second).
    llm.always({ ...textReply('Once ', 'upon ', 'a **time**.'), chunkDelayMs: 800 });
    const fake = await TelegramBotApiFake.start();
    onCleanup(() => fake.close());
    const bot = fake.addBot({ username: 'nexus_helper_bot' });
    const ada = fake.user('Ada');
    const chat = fake.privateChat(ada);
    const nexus = nexusInstance({ llm: fakeLlm(llm), channels: { telegram: { accounts: { main: { bot_token: bot.token, api_base_url: fake.apiRoot, ...OPEN } } } } });

    const first = await nexus.serve();
    fake.userSays(bot, { chat, from: ada, text: 'tell me a story' });
    await eventually(() => fake.sentBy(bot, chat.id)[0]?.text === 'Once upon a time.', 'the final reply');
    const [reply] = fake.sentBy(bot, chat.id);
    expect(fake.sentBy(bot, chat.id)).toHaveLength(1);
    expect(reply!.entities).toEqual([{ type: 'bold', offset: 12, length: 4 }]);
    // Posted with the first text, then edited as the rest streamed in.
    expect(reply!.history.length).toBeGreaterThanOrEqual(2);
    expect(reply!.history[0]).not.toBe('Once upon a time.');
    expect(fake.chatActions.some((a) => a.chatId === chat.id && a.action === 'typing')).toBe(true);
    await eventually(() => storedMessages(nexus.home, `main:telegram:main:${chat.id}`).length === 2, 'the stored turn');
    expect(storedMessages(nexus.home, `main:telegram:main:${chat.id}`).map((m) => [m.role, m.content])).toEqual([
      ['user', 'tell me a story'],
      ['assistant', 'Once upon a **time**.'],
    ]);
    expect(await first.stop()).toEqual({ code: 0, signal: null });

    // Written while the gateway was down: answered once after the restart, and nothing before it again.
    fake.userSays(bot, { chat, from: ada, text: 'and then?' });
    const second = await nexus.serve();
    await eventually(() => fake.sentBy(bot, chat.id).length === 2 && fake.sentBy(bot, chat.id)[1]!.text === 'Once upon a time.', 'the second reply');
    await eventually(() => storedMessages(nexus.home, `main:telegram:main:${chat.id}`).length === 4, 'the second stored turn');
    expect(llm.streamRequests).toHaveLength(2);
    expect(await second.stop()).toEqual({ code: 0, signal: null });
  });
});
