import { join } from 'node:path';
import {
  ChannelHealths,
  ChannelInbounds,
  ChannelLifecycles,
  ChannelLogins,
  ChannelOutbounds,
  ChannelReplyStreams,
  ConversationResolvers,
  HttpServerToken,
  type InboundMessage,
} from '@nexus/plugin-sdk';
import { createTestKernel } from '../../../src/kernel/testing/index.js';
import { TelegramBotApiFake, type BotState } from '../../fixtures/platforms/telegram/index.js';
import { gatewaySettingsPlugin, httpPluginDir, onCleanup, tempDir } from '../http/http-test-kit.js';
import { storagePluginDirs } from '../webhook/webhook-test-kit.js';

export const telegramPluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/telegram');

/** A fake Bot API on 127.0.0.1 with one bot, closed after the test. */
export async function startFake(): Promise<{ fake: TelegramBotApiFake; bot: BotState }> {
  const fake = await TelegramBotApiFake.start({ allowHttpWebhooks: true, webhookRetryMs: 50 });
  onCleanup(() => fake.close());
  return { fake, bot: fake.addBot({ username: 'nexus_helper_bot' }) };
}

/** A SQLite file in a fresh folder: what a restarted gateway opens again. */
export function sqliteDatabase(): Record<string, unknown> {
  return { path: join(tempDir('nexus-telegram-db-'), 'nexus.db') };
}

/**
 * A kernel with the Telegram plugin, the HTTP server on a free loopback port and the storage
 * plugins (memory unless `database` says otherwise). `account` is merged over a polling account
 * pointed at the fake.
 */
export async function startTelegram(
  fake: TelegramBotApiFake,
  bot: BotState,
  options: { readonly account?: Record<string, unknown>; readonly accounts?: Record<string, Record<string, unknown>>; readonly database?: Record<string, unknown>; readonly start?: boolean; readonly httpPort?: number } = {},
) {
  const accounts = options.accounts ?? { main: { bot_token: bot.token, api_base_url: fake.apiRoot, ...options.account } };
  const kernel = createTestKernel({
    plugin: telegramPluginDir,
    with: [httpPluginDir, gatewaySettingsPlugin(), ...storagePluginDirs],
    settings: { server: { host: '127.0.0.1', http_port: options.httpPort ?? 0 }, channels: { telegram: { accounts } }, database: options.database ?? { url: 'memory' } },
  });
  onCleanup(() => kernel.stop());
  const address = (await kernel.services.get(HttpServerToken)).address();
  if (!address) throw new Error('the HTTP server did not start');
  const get = <T>(token: Parameters<typeof kernel.contributions.get<T>>[0]) => kernel.contributions.get(token, 'telegram');
  const channel = {
    lifecycle: await get(ChannelLifecycles),
    inbound: await get(ChannelInbounds),
    outbound: await get(ChannelOutbounds),
    health: await get(ChannelHealths),
    conversation: await get(ConversationResolvers),
    replies: await get(ChannelReplyStreams),
    login: await get(ChannelLogins),
  };
  const received: InboundMessage[] = [];
  if (options.start !== false) {
    channel.inbound.onMessage(async (message) => void received.push(message));
    await channel.lifecycle.start(AbortSignal.timeout(10_000));
    onCleanup(() => channel.lifecycle.stop());
  }
  return { kernel, url: address.url, received, ...channel };
}
