import type { Clock, Logger, ServiceRegistry } from '@nexus/plugin-sdk';
import { createAccountEntries, type AccountPlatform, type ChannelTimers, type ConnectedAccountEntry } from '@nexus/plugin-sdk/channel';
import { SlackAccount, slackTarget, type SlackAccountSettings } from './engine/index.js';

/** How long a Slack message id is remembered: Slack redelivers within minutes, so a day is ample. */
const DEDUP_WINDOW_MS = 24 * 60 * 60_000;

/**
 * Each account's pace for Web API calls. Slack allows about one message per second per channel
 * with short bursts, and chat.update about 50 a minute; 429s are waited out as Slack asks.
 */
const RATE = { ratePerSecond: 5, capacity: 20 };

/** How Slack is named in the kit's status and account errors. */
export const SLACK: AccountPlatform = { label: 'Slack', id: 'slack', quietConnection: 'a half-open socket' };

/** One configured account: its engine, its access policy, and its counters. */
export type SlackAccountEntry = ConnectedAccountEntry<SlackAccountSettings, SlackAccount>;

/** Builds an engine per configured account, with the kit's pacing, database-backed de-duplication and access policy. */
export function createSlackAccounts(deps: { readonly accounts: ReadonlyMap<string, SlackAccountSettings>; readonly clock: Clock; readonly logger: Logger; readonly services: ServiceRegistry }): { readonly entries: ReadonlyMap<string, SlackAccountEntry>; readonly timers: ChannelTimers } {
  return createAccountEntries({
    ...deps,
    platform: SLACK,
    rate: RATE,
    dedupWindowMs: DEDUP_WINDOW_MS,
    engine: (wiring) => new SlackAccount(wiring),
    sendPairingCode: (engine, message, text, signal) => engine.sender.post(slackTarget('', message.metadata), text, signal),
    senderName: (message) => (typeof message.metadata?.slack_user_id === 'string' ? message.metadata.slack_user_id : undefined),
  });
}
