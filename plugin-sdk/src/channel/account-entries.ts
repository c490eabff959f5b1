import { ChannelPairingStoreToken, InboundReceiptStoreToken, type Clock, type InboundMessage, type Logger, type ServiceRegistry } from '../contracts/index.js';
import { accessPolicyOfSettings, type AccessPolicySettings } from './access-policy.js';
import type { AccountEngine, AccountEntry, AccountPlatform } from './account-set.js';
import { ChannelAccessGate } from './channel-access-gate.js';
import type { Deduplicator, RateGate, Wait } from './channel-seams.js';
import { PacedRateGate } from './paced-rate-gate.js';
import { ReceiptDeduplicator } from './receipt-deduplicator.js';
import { RetryAfterGate } from './retry-after-gate.js';
import { sleep, systemTimers, type ChannelTimers } from './timers.js';
import { TokenBucket, type TokenBucketOptions } from './token-bucket.js';

/** The longest a pairing code reply may take before it is given up (the sender can write again). */
const PAIRING_REPLY_TIMEOUT_MS = 15_000;

/** What the kit hands the plugin's engine factory for one account: the parts every engine takes from outside. */
export interface AccountWiring<S> {
  readonly accountId: string;
  readonly settings: S;
  readonly clock: Clock;
  /** The plugin's logger with the account's name on every line. */
  readonly logger: Logger;
  /** Waits for backoff and retry-after on the clock. */
  readonly wait: Wait;
  /** The account's token bucket in front of the platform's 429 retry-after waits. */
  readonly rateGate: RateGate;
  /** De-duplication by platform message id in the database (`nexus.store.inbound-receipts`), across restarts. */
  readonly dedup: Deduplicator;
  /** The access policy with pairing (`ChannelAccessGate`): false keeps the message from the handlers. */
  readonly admit: (message: InboundMessage) => Promise<boolean>;
}

export interface AccountEntriesOptions<S extends AccessPolicySettings, E extends AccountEngine> {
  readonly platform: AccountPlatform;
  /** The configured accounts, by name; the access policy comes from their policy keys. */
  readonly accounts: ReadonlyMap<string, S>;
  readonly services: ServiceRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Each account's pace for calls to the platform. */
  readonly rate: TokenBucketOptions;
  /** How long a message id is remembered: longer than the platform goes on redelivering. */
  readonly dedupWindowMs: number;
  readonly engine: (wiring: AccountWiring<S>) => E;
  /** Tells an unknown DM sender their pairing code, through the account's engine. */
  readonly sendPairingCode: (engine: E, message: InboundMessage, text: string, signal: AbortSignal) => Promise<unknown>;
  /** How the platform names the sender, for `nexus channels pair list`. */
  readonly senderName?: (message: InboundMessage) => string | undefined;
}

/** One configured account: its engine, its settings, its access gate (refusals by reason) and its send counters. */
export interface ConnectedAccountEntry<S extends AccessPolicySettings, E extends AccountEngine> extends AccountEntry<E> {
  readonly settings: S;
  readonly gate: ChannelAccessGate;
}

/**
 * Builds an engine per configured account of a channel whose accounts each hold a connection
 * of their own, wired the same way for every platform: a token bucket and the platform's
 * retry-after, de-duplication in the database, and the access policy with pairing in front of
 * the handlers. The entries feed `AccountsChannel`, `AccountsOutbound` and `AccountsHealth`.
 */
export function createAccountEntries<S extends AccessPolicySettings, E extends AccountEngine>(options: AccountEntriesOptions<S, E>): { readonly entries: ReadonlyMap<string, ConnectedAccountEntry<S, E>>; readonly timers: ChannelTimers } {
  const { platform, services, clock } = options;
  const timers = systemTimers(clock);
  const wait: Wait = (ms, signal) => sleep(timers, ms, signal);
  const entries = new Map<string, ConnectedAccountEntry<S, E>>();
  for (const [name, settings] of options.accounts) {
    const logger = options.logger.child({ account: name });
    const dedup = new ReceiptDeduplicator({
      channel: platform.id,
      accountId: name,
      receipts: async () => (services.has(InboundReceiptStoreToken) ? services.get(InboundReceiptStoreToken) : undefined),
      windowMs: options.dedupWindowMs,
      clock,
      logger,
    });
    const rateGate = new PacedRateGate(new TokenBucket(options.rate, timers), new RetryAfterGate(clock, wait));
    // The engine asks the gate about each message, and the gate answers pairing requests through the engine.
    const engine = options.engine({ accountId: name, settings, clock, logger, wait, rateGate, dedup, admit: (message) => gate.admit(message) });
    const gate = new ChannelAccessGate({
      channel: platform.id,
      accountId: name,
      policy: accessPolicyOfSettings(settings),
      pairings: async () => (services.has(ChannelPairingStoreToken) ? services.get(ChannelPairingStoreToken) : undefined),
      sendPairingCode: async (message, text) => void (await options.sendPairingCode(engine, message, text, AbortSignal.timeout(PAIRING_REPLY_TIMEOUT_MS))),
      ...(options.senderName ? { senderName: options.senderName } : {}),
      logger,
    });
    entries.set(name, { name, settings, engine, gate, counters: { sent: 0, failed: 0 } });
  }
  return { entries, timers };
}
