import type { Clock, ConfigAccess, DoctorCheck, Logger, ServiceRegistry } from '@nexus/plugin-sdk';
import { channelProbeCheck } from '@nexus/plugin-sdk/channel';
import { createDiscordAccounts } from './discord-accounts.js';
import { DiscordChannel } from './discord-channel.js';
import { readDiscordAccounts, readDiscordScope } from './discord-config.js';
import { DiscordHealth } from './discord-health.js';
import { DiscordLogin } from './discord-login.js';
import { DiscordOutbound } from './discord-outbound.js';
import { DiscordReplies } from './discord-replies.js';

/** The channel's capabilities, built once per activation over the same accounts. */
export interface DiscordRuntime {
  readonly channel: DiscordChannel;
  readonly outbound: DiscordOutbound;
  readonly health: DiscordHealth;
  readonly login: DiscordLogin;
  readonly replies: DiscordReplies;
  readonly probeCheck: DoctorCheck;
}

export function createDiscordRuntime(deps: { readonly config: ConfigAccess; readonly clock: Clock; readonly logger: Logger; readonly services: ServiceRegistry }): DiscordRuntime {
  const { entries, timers } = createDiscordAccounts({ accounts: readDiscordAccounts(deps.config), clock: deps.clock, logger: deps.logger, services: deps.services });
  return {
    channel: new DiscordChannel(entries, readDiscordScope(deps.config), deps.logger),
    outbound: new DiscordOutbound(entries),
    health: new DiscordHealth(entries),
    login: new DiscordLogin(entries),
    replies: new DiscordReplies(entries, timers, deps.logger),
    probeCheck: channelProbeCheck({ channel: 'discord', accounts: () => [...entries.keys()], login: (account) => entries.get(account)!.engine.login() }),
  };
}
