import type { ChannelHealth, ChannelOutbound, Clock, ConfigAccess, DoctorCheck, Logger, ServiceRegistry } from '@nexus/plugin-sdk';
import { AccountsChannel, AccountsHealth, AccountsOutbound, channelProbeCheck } from '@nexus/plugin-sdk/channel';
import { discordConversationId } from './engine/index.js';
import { createDiscordAccounts, DISCORD } from './discord-accounts.js';
import { readDiscordAccounts, readDiscordScope } from './discord-config.js';
import { DiscordLogin } from './discord-login.js';
import { DiscordReplies } from './discord-replies.js';

/** The channel's capabilities, built once per activation over the same accounts. */
export interface DiscordRuntime {
  readonly channel: AccountsChannel;
  readonly outbound: ChannelOutbound;
  readonly health: ChannelHealth;
  readonly login: DiscordLogin;
  readonly replies: DiscordReplies;
  readonly probeCheck: DoctorCheck;
}

export function createDiscordRuntime(deps: { readonly config: ConfigAccess; readonly clock: Clock; readonly logger: Logger; readonly services: ServiceRegistry }): DiscordRuntime {
  const scope = readDiscordScope(deps.config);
  const { entries, timers } = createDiscordAccounts({ accounts: readDiscordAccounts(deps.config), clock: deps.clock, logger: deps.logger, services: deps.services });
  return {
    channel: new AccountsChannel(entries, DISCORD, (message) => discordConversationId(message, scope), deps.logger),
    outbound: new AccountsOutbound(entries, DISCORD),
    health: new AccountsHealth(entries, DISCORD),
    login: new DiscordLogin(entries),
    replies: new DiscordReplies(entries, timers, deps.logger),
    probeCheck: channelProbeCheck({ channel: 'discord', accounts: () => [...entries.keys()], login: (account) => entries.get(account)!.engine.login() }),
  };
}
