import type { ConfigAccess } from '@nexus/plugin-sdk';
import { discordAccountSettings, type DiscordAccountSettings, type DiscordScope } from './engine/index.js';

/** `channels.discord.accounts`, each account with its defaults applied. */
export function readDiscordAccounts(config: ConfigAccess): ReadonlyMap<string, DiscordAccountSettings> {
  // The kernel applies this plugin's schema defaults; `discordAccountSettings` covers a host that did not.
  const section = config.section<Record<string, { accounts?: Record<string, Partial<DiscordAccountSettings>> }>>('channels')?.discord;
  return new Map(Object.entries(section?.accounts ?? {}).map(([name, account]) => [name, discordAccountSettings(account)]));
}

/** `session.discord_scope`: one session per thread (the default) or per channel. */
export function readDiscordScope(config: ConfigAccess): DiscordScope {
  return config.section<{ discord_scope?: DiscordScope }>('session')?.discord_scope === 'channel' ? 'channel' : 'thread';
}
