import { readFileSync } from 'node:fs';
import type { Clock, ConfigAccess, DoctorCheck, Logger, ServiceRegistry } from '@nexus/plugin-sdk';
import { channelPolicyCheck, channelProbeCheck } from '@nexus/plugin-sdk/channel';
import { createDiscordAccounts } from './discord-accounts.js';
import { DiscordChannel } from './discord-channel.js';
import { discordAccessPolicy, readDiscordAccounts, readDiscordScope } from './discord-config.js';
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
  readonly policyCheck: DoctorCheck;
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
    policyCheck: channelPolicyCheck({
      channel: 'discord',
      accounts: () => [...entries.values()].map((entry) => ({ name: entry.name, policy: discordAccessPolicy(entry.settings), secrets: [{ field: `channels.discord.accounts.${entry.name}.bot_token`, value: entry.settings.bot_token }] })),
      configText: () => readConfigText(deps.config.path),
    }),
    probeCheck: channelProbeCheck({ channel: 'discord', accounts: () => [...entries.keys()], login: (account) => entries.get(account)!.engine.login() }),
  };
}

/** The config file as written (with `${VAR}` where the environment supplies a value), for the inline-secret check. */
function readConfigText(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
