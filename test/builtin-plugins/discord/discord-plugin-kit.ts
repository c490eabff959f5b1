import { join } from 'node:path';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../../fixtures/platforms/discord/index.js';
import { eventually } from '../../fixtures/platforms/shared/index.js';
import { startOneAccountPlugin, type ChannelPluginSetup, type OneAccountOptions } from '../channel-plugin-kit.js';
import { onCleanup } from '../http/http-test-kit.js';

export const discordPluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/discord');

export interface DiscordPluginSetup extends ChannelPluginSetup {
  readonly discord: FakeDiscord;
}

/**
 * The Discord plugin in a test kernel (with the storage plugins, an in-memory database unless
 * `database` says otherwise) pointed at a fake Discord, its account `main` open to everyone
 * unless `account` says otherwise; started, with a handler collecting messages, unless `start`
 * is false.
 */
export async function startDiscordPlugin(
  options: OneAccountOptions & { readonly discord?: FakeDiscord; readonly fake?: FakeDiscordOptions } = {},
): Promise<DiscordPluginSetup> {
  const discord = options.discord ?? (await startFakeDiscord({ heartbeatIntervalMs: 60_000, ...options.fake }));
  if (!options.discord) onCleanup(() => discord.close());
  return { discord, ...(await startOneAccountPlugin(discordPluginDir, 'discord', { bot_token: discord.token, api_base_url: discord.apiUrl }, options)) };
}

export { eventually };
