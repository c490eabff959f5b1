// The Telegram side of the channel benchmarks: the fake Bot API, `nexus serve` with one account
// on it, and the driver channel-turn-overhead uses (a fake of its own per side).
import { OPEN_ACCESS, platformFixture, startBareBot, startChannelServe, timedPost } from './channel-common.mjs';

export async function startTelegramFake() {
  const { TelegramBotApiFake } = await platformFixture('telegram/index.ts');
  return TelegramBotApiFake.start();
}

/** `nexus serve` in `dir` answering `bot` on `fake` in every DM; `options` go to startServe. */
export function startTelegramServe(dir, fake, bot, options = {}) {
  return startChannelServe(dir, { telegram: { accounts: { main: { bot_token: bot.token, api_base_url: fake.apiRoot, ...OPEN_ACCESS } } } }, options);
}

/** `count` users of the fake, each in a private chat: `{ user, chat }`. */
export function privateChats(fake, count, label = 'user') {
  return Array.from({ length: count }, (_, i) => {
    const user = fake.user(`${label}${i}`);
    return { user, chat: fake.privateChat(user) };
  });
}

export const telegram = {
  name: 'Telegram',
  what: 'a private chat, long polling; Nexus posts a typing action and the reply',
  // The account's token bucket (tuning.ts: 30 posts/s, burst 20) must never make a turn wait:
  // two posts per pair of turns in at least 70 ms stays under it.
  pauseMs: 70,
  turnsPerRun: 200,
  warmupTurns: 50,
  async start(dir, side) {
    const fake = await startTelegramFake();
    const bot = fake.addBot({ username: `${side}_bench_bot` });
    const process = side === 'nexus' ? await startTelegramServe(dir, fake, bot) : await startBareBot('bare-telegram-bot.mjs', [fake.apiRoot, bot.token]);
    return {
      conversation: (label) => privateChats(fake, 1, label)[0],
      reply: ({ user, chat }, text) =>
        timedPost(fake.posted, (sent) => sent.botId === bot.user.id && sent.chatId === chat.id && sent.text === `ok ${text}`, () => fake.userSays(bot, { chat, from: user, text })),
      async stop() {
        await process.stop();
        await fake.close();
      },
    };
  },
};
