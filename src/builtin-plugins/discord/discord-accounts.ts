import { ChannelPairingStoreToken, InboundReceiptStoreToken, type Clock, type Logger, type ServiceRegistry } from '@nexus/plugin-sdk';
import { ChannelAccessGate, type AccountPlatform, type SendCounters, PacedRateGate, ReceiptDeduplicator, RetryAfterGate, sleep, systemTimers, TokenBucket, type ChannelTimers } from '@nexus/plugin-sdk/channel';
import { DiscordAccount, discordTarget, type DiscordAccountSettings } from './engine/index.js';
import { discordAccessPolicy } from './discord-config.js';

/** How long a Discord message id is remembered: a RESUME replays missed events within minutes, so a day is ample. */
const DEDUP_WINDOW_MS = 24 * 60 * 60_000;

/**
 * Each account's pace for REST calls, under Discord's global 50 requests a second per bot; the
 * per-route limits (5 messages per 5 s in a channel) answer 429, waited out as Discord asks.
 */
const RATE = { ratePerSecond: 40, capacity: 50 };

/** How Discord is named in the kit's status and account errors. */
export const DISCORD: AccountPlatform = { label: 'Discord', id: 'discord', quietConnection: 'a zombie connection' };

/** One configured account: its engine, its access policy, and its counters. */
export interface DiscordAccountEntry {
  readonly name: string;
  readonly settings: DiscordAccountSettings;
  readonly engine: DiscordAccount;
  readonly gate: ChannelAccessGate;
  readonly counters: SendCounters;
}

export interface DiscordAccountsDeps {
  readonly accounts: ReadonlyMap<string, DiscordAccountSettings>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly services: ServiceRegistry;
}

/** Builds an engine per configured account, with the database-backed de-duplication and the access policy in front of its handlers. */
export function createDiscordAccounts(deps: DiscordAccountsDeps): { readonly entries: ReadonlyMap<string, DiscordAccountEntry>; readonly timers: ChannelTimers } {
  const timers = systemTimers(deps.clock);
  const wait = (ms: number, signal: AbortSignal) => sleep(timers, ms, signal);
  const entries = new Map<string, DiscordAccountEntry>();
  for (const [name, settings] of deps.accounts) {
    const logger = deps.logger.child({ account: name });
    const engineRef: { current?: DiscordAccount } = {};
    const gate = new ChannelAccessGate({
      channel: 'discord',
      accountId: name,
      policy: discordAccessPolicy(settings),
      pairings: async () => (deps.services.has(ChannelPairingStoreToken) ? deps.services.get(ChannelPairingStoreToken) : undefined),
      sendPairingCode: async (message, text) => void (await engineRef.current!.sender.post(discordTarget('', message.metadata), text, AbortSignal.timeout(15_000))),
      senderName: (message) => (typeof message.metadata?.discord_username === 'string' ? message.metadata.discord_username : undefined),
      logger,
    });
    // The gate answers pairing requests through the engine it guards, made just below.
    const engine = new DiscordAccount({
      accountId: name,
      settings,
      clock: deps.clock,
      logger,
      wait,
      rateGate: new PacedRateGate(new TokenBucket(RATE, timers), new RetryAfterGate(deps.clock, wait)),
      dedup: new ReceiptDeduplicator({
        channel: 'discord',
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
