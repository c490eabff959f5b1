import { ChannelPairingStoreToken, InboundReceiptStoreToken, type Clock, type Logger, type ServiceRegistry } from '@nexus/plugin-sdk';
import { ChannelAccessGate, type AccountPlatform, type SendCounters, PacedRateGate, ReceiptDeduplicator, RetryAfterGate, sleep, systemTimers, TokenBucket, type ChannelTimers } from '@nexus/plugin-sdk/channel';
import { SlackAccount, slackTarget, type SlackAccountSettings } from './engine/index.js';
import { slackAccessPolicy } from './slack-config.js';

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
export interface SlackAccountEntry {
  readonly name: string;
  readonly settings: SlackAccountSettings;
  readonly engine: SlackAccount;
  readonly gate: ChannelAccessGate;
  readonly counters: SendCounters;
}

export interface SlackAccountsDeps {
  readonly accounts: ReadonlyMap<string, SlackAccountSettings>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly services: ServiceRegistry;
}

/** Builds an engine per configured account, with the database-backed de-duplication and the access policy in front of its handlers. */
export function createSlackAccounts(deps: SlackAccountsDeps): { readonly entries: ReadonlyMap<string, SlackAccountEntry>; readonly timers: ChannelTimers } {
  const timers = systemTimers(deps.clock);
  const wait = (ms: number, signal: AbortSignal) => sleep(timers, ms, signal);
  const entries = new Map<string, SlackAccountEntry>();
  for (const [name, settings] of deps.accounts) {
    const logger = deps.logger.child({ account: name });
    const engineRef: { current?: SlackAccount } = {};
    const gate = new ChannelAccessGate({
      channel: 'slack',
      accountId: name,
      policy: slackAccessPolicy(settings),
      pairings: async () => (deps.services.has(ChannelPairingStoreToken) ? deps.services.get(ChannelPairingStoreToken) : undefined),
      sendPairingCode: async (message, text) => void (await engineRef.current!.sender.post(slackTarget('', message.metadata), text, AbortSignal.timeout(15_000))),
      senderName: (message) => (typeof message.metadata?.slack_user_id === 'string' ? message.metadata.slack_user_id : undefined),
      logger,
    });
    // The gate answers pairing requests through the engine it guards, made just below.
    const engine = new SlackAccount({
      accountId: name,
      settings,
      clock: deps.clock,
      logger,
      wait,
      rateGate: new PacedRateGate(new TokenBucket(RATE, timers), new RetryAfterGate(deps.clock, wait)),
      dedup: new ReceiptDeduplicator({
        channel: 'slack',
        accountId: name,
        receipts: async () => (deps.services.has(InboundReceiptStoreToken) ? deps.services.get(InboundReceiptStoreToken) : undefined),
        windowMs: DEDUP_WINDOW_MS,
        clock: deps.clock,
        logger,
      }),
      admit: (message) => gate.admit(message),
    });
    engineRef.current = engine;
    entries.set(name, { name, settings, engine, gate, counters: { sent: 0, failed: 0 } });
  }
  return { entries, timers };
}
