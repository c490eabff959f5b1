import type { ChannelHealth, ChannelOutbound, Clock, ConfigAccess, DoctorCheck, Logger, ServiceRegistry } from '@nexus/plugin-sdk';
import { AccountsChannel, AccountsHealth, AccountsOutbound, channelProbeCheck } from '@nexus/plugin-sdk/channel';
import { slackConversationId } from './engine/index.js';
import { createSlackAccounts, SLACK } from './slack-accounts.js';
import { readSlackAccounts, readSlackScope } from './slack-config.js';
import { SlackLogin } from './slack-login.js';
import { SlackReplies } from './slack-replies.js';

/** The channel's capabilities, built once per activation over the same accounts. */
export interface SlackRuntime {
  readonly channel: AccountsChannel;
  readonly outbound: ChannelOutbound;
  readonly health: ChannelHealth;
  readonly login: SlackLogin;
  readonly replies: SlackReplies;
  readonly probeCheck: DoctorCheck;
}

export function createSlackRuntime(deps: { readonly config: ConfigAccess; readonly clock: Clock; readonly logger: Logger; readonly services: ServiceRegistry }): SlackRuntime {
  const scope = readSlackScope(deps.config);
  const { entries, timers } = createSlackAccounts({ accounts: readSlackAccounts(deps.config), clock: deps.clock, logger: deps.logger, services: deps.services });
  return {
    channel: new AccountsChannel(entries, SLACK, (message) => slackConversationId(message, scope), deps.logger),
    outbound: new AccountsOutbound(entries, SLACK),
    health: new AccountsHealth(entries, SLACK),
    login: new SlackLogin(entries),
    replies: new SlackReplies(entries, timers, deps.logger),
    probeCheck: channelProbeCheck({ channel: 'slack', accounts: () => [...entries.keys()], login: (account) => entries.get(account)!.engine.login() }),
  };
}
