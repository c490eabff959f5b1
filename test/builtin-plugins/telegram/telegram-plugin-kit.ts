import { join } from 'node:path';
import { HttpServerToken } from '@nexus/plugin-sdk';
import { TelegramBotApiFake, type BotState } from '../../fixtures/platforms/telegram/index.js';
import { startChannelPlugin, startReceiving } from '../channel-plugin-kit.js';
import { gatewaySettingsPlugin, httpPluginDir, onCleanup, tempDir } from '../http/http-test-kit.js';

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
 * pointed at the fake. The HTTP server listens before the channel starts, for webhook mode.
 */
export async function startTelegram(
  fake: TelegramBotApiFake,
  bot: BotState,
  options: { readonly account?: Record<string, unknown>; readonly accounts?: Record<string, Record<string, unknown>>; readonly database?: Record<string, unknown>; readonly start?: boolean; readonly httpPort?: number } = {},
) {
  const setup = await startChannelPlugin({
    plugin: telegramPluginDir,
    channel: 'telegram',
    accounts: options.accounts ?? { main: { bot_token: bot.token, api_base_url: fake.apiRoot, ...options.account } },
    with: [httpPluginDir, gatewaySettingsPlugin()],
    settings: { server: { host: '127.0.0.1', http_port: options.httpPort ?? 0 } },
    ...(options.database ? { database: options.database } : {}),
    start: false,
  });
  const address = (await setup.kernel.services.get(HttpServerToken)).address();
  if (!address) throw new Error('the HTTP server did not start');
  if (options.start !== false) await startReceiving(setup);
  return { ...setup, url: address.url };
}
