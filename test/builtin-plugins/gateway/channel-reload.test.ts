import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { configFromData } from '../../../src/kernel/index.js';
import { openaiBaseUrl, startFakeOpenAI, textReply } from '../../fixtures/llm-servers/index.js';
import { TelegramBotApiFake, type BotState } from '../../fixtures/platforms/telegram/index.js';
import { testKernel } from '../../helpers/fixtures.js';
import { onCleanup } from '../http/http-test-kit.js';
import { gatewayDir, memoryStorageDir, storageDir } from './gateway-test-kit.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
const loadPaths = [gatewayDir, storageDir, memoryStorageDir, join(builtins, 'telegram'), join(builtins, 'agent'), join(builtins, 'openai')];
const eventually = <T>(assertion: () => T) => vi.waitFor(assertion, { timeout: 15_000, interval: 25 });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The gateway as `nexus serve` runs it, with the Telegram channel on `bot` and a fake model; `reload` applies other settings. */
async function serveWithTelegram(llmUrl: string, fake: TelegramBotApiFake, bot: BotState) {
  const data = (telegram: Record<string, unknown> | undefined, plugins: Record<string, unknown> = {}) => ({
    database: { url: 'memory:' },
    server: { grpc_port: 0 },
    llm: { default_provider: 'openai', providers: { openai: { base_url: llmUrl, api_key: 'sk-test', default_model: 'gpt-test', max_retries: 0 } } },
    channels: { telegram },
    plugins: { load: { paths: loadPaths }, ...plugins },
  });
  const account = (token: string) => ({ accounts: { main: { bot_token: token, api_base_url: fake.apiRoot, dm_policy: 'open', allow_from: ['*'] } } });
  const { kernel } = testKernel({ loadPaths, data: data(account(bot.token)) });
  await kernel.start();
  const reload = (telegram: Record<string, unknown> | undefined, plugins?: Record<string, unknown>) => kernel.reconfigure(configFromData(data(telegram, plugins)));
  return { kernel, account, reload };
}

/** getUpdates calls by `bot` so far. */
const pollsOf = (fake: TelegramBotApiFake, bot: BotState) => fake.callsOf('getUpdates').filter((c) => c.botId === bot.user.id).length;

/** Whether `bot` polls no more: no long poll open, and none starts within a while. */
async function expectNoPolling(fake: TelegramBotApiFake, bot: BotState): Promise<void> {
  await eventually(() => expect(bot.activePoll).toBeUndefined());
  const polls = pollsOf(fake, bot);
  await pause(700);
  expect(pollsOf(fake, bot)).toBe(polls);
  expect(bot.activePoll).toBeUndefined();
}

describe('channels follow a config reload through the gateway', { timeout: 60_000 }, () => {
  it('a new bot token: the old bot stops polling, the new one polls and its messages get replies', async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('hello from the agent'));
    const fake = await TelegramBotApiFake.start();
    onCleanup(() => fake.close());
    const oldBot = fake.addBot({ username: 'old_bot' });
    const newBot = fake.addBot({ username: 'new_bot' });
    const ada = fake.user('Ada');
    const chat = fake.privateChat(ada);
    const { account, reload } = await serveWithTelegram(openaiBaseUrl(llm), fake, oldBot);
    fake.userSays(oldBot, { chat, from: ada, text: 'hi old bot' });
    await eventually(() => expect(fake.sentBy(oldBot, chat.id).map((m) => m.text)).toEqual(['hello from the agent']));

    const report = await reload(account(newBot.token));
    expect(report.applied).toBe(true);
    expect(report.restarted).toContain('telegram');

    await expectNoPolling(fake, oldBot);
    await eventually(() => expect(newBot.activePoll).toBeDefined());
    fake.userSays(newBot, { chat, from: ada, text: 'hi new bot' });
    await eventually(() => expect(fake.sentBy(newBot, chat.id).map((m) => m.text)).toEqual(['hello from the agent']));
    // Exactly one reply: the old subscription is gone, so the message is not handled twice.
    await pause(300);
    expect(fake.sentBy(newBot, chat.id)).toHaveLength(1);
    expect(fake.sentBy(oldBot, chat.id)).toHaveLength(1);
  });

  it('a reload that disables the channel stops its polling; enabling it again polls again', async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('hello again'));
    const fake = await TelegramBotApiFake.start();
    onCleanup(() => fake.close());
    const bot = fake.addBot({ username: 'the_bot' });
    const ada = fake.user('Ada');
    const chat = fake.privateChat(ada);
    const { account, reload } = await serveWithTelegram(openaiBaseUrl(llm), fake, bot);
    await eventually(() => expect(bot.activePoll).toBeDefined());

    const disabled = await reload(account(bot.token), { entries: { telegram: { enabled: false } } });
    expect(disabled.stopped).toContain('telegram');
    await expectNoPolling(fake, bot);

    const enabled = await reload(account(bot.token));
    expect(enabled.started).toContain('telegram');
    fake.userSays(bot, { chat, from: ada, text: 'back again?' });
    await eventually(() => expect(fake.sentBy(bot, chat.id).map((m) => m.text)).toEqual(['hello again']));
  });
});
