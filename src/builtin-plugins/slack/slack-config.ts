import type { ConfigAccess } from '@nexus/plugin-sdk';
import { slackAccountSettings, type SlackAccountSettings, type SlackScope } from './engine/index.js';

/** `channels.slack.accounts`, each account with its defaults applied. */
export function readSlackAccounts(config: ConfigAccess): ReadonlyMap<string, SlackAccountSettings> {
  // The kernel applies this plugin's schema defaults; `slackAccountSettings` covers a host that did not.
  const section = config.section<Record<string, { accounts?: Record<string, Partial<SlackAccountSettings>> }>>('channels')?.slack;
  return new Map(Object.entries(section?.accounts ?? {}).map(([name, account]) => [name, slackAccountSettings(account)]));
}

/** `session.slack_scope`: one session per thread (the default) or per channel. */
export function readSlackScope(config: ConfigAccess): SlackScope {
  return config.section<{ slack_scope?: SlackScope }>('session')?.slack_scope === 'channel' ? 'channel' : 'thread';
}
