import type { ChannelTimers, Deduplicator } from '@nexus/plugin-sdk/channel';
import type { ChannelAccountStatus, ChannelPairingStore, ChannelProbeResult, ChannelStatus, DeliveryReceipt, InboundMessage, Logger, OutboundMessage, ReplyDraft } from '@nexus/plugin-sdk';
import { readTelegramAccount, TelegramConfigError } from './account-config.js';
import { toAccountStatus, toChannelStatus, type TelegramAccountStatus } from './account-health.js';
import type { PollerRegistry } from './poller-registry.js';
import type { UpdateOffsetStore } from './ports.js';
import { TelegramAccount } from './telegram-account.js';
import type { TelegramTuning } from './tuning.js';

export interface TelegramChannelDeps {
  /** The `channels.telegram` section: `{accounts: {<name>: {...}}}`. */
  readonly section: unknown;
  readonly pollers: PollerRegistry;
  readonly offsets: UpdateOffsetStore;
  /** De-duplication per account (update ids are per bot); an in-process window when absent. */
  readonly seen?: (accountId: string) => Deduplicator;
  /** Enforce each account's access policy, with pairing through this store (see `TelegramAccountDeps.access`). */
  readonly access?: { readonly pairings: () => Promise<ChannelPairingStore | undefined> };
  readonly timers: ChannelTimers;
  readonly logger: Logger;
  readonly tuning?: Partial<TelegramTuning>;
}

/**
 * Every configured Telegram account behind the split channel contracts: lifecycle, inbound,
 * outbound, health and conversation are each one object here that routes to the account a
 * message belongs to. Phase 2 binds it under the channel name `telegram`.
 */
export class TelegramChannel {
  readonly accounts: ReadonlyMap<string, TelegramAccount>;

  constructor(deps: TelegramChannelDeps) {
    const section = (deps.section ?? {}) as { accounts?: unknown };
    if (typeof section.accounts !== 'object' || section.accounts === null || Array.isArray(section.accounts)) {
      throw new TelegramConfigError('channels.telegram.accounts', 'must be a mapping of account names to accounts, each with at least bot_token');
    }
    const accounts = new Map<string, TelegramAccount>();
    for (const [name, raw] of Object.entries(section.accounts as Record<string, unknown>)) {
      const config = readTelegramAccount(name, raw);
      accounts.set(name, new TelegramAccount({ accountId: name, config, pollers: deps.pollers, offsets: deps.offsets, ...(deps.seen ? { seen: deps.seen(name) } : {}), ...(deps.access ? { access: deps.access } : {}), timers: deps.timers, logger: deps.logger, ...(deps.tuning ? { tuning: deps.tuning } : {}) }));
    }
    this.accounts = accounts;
  }

  account(id: string): TelegramAccount {
    const account = this.accounts.get(id);
    if (!account) throw new Error(`there is no Telegram account "${id}" (channels.telegram.accounts has ${[...this.accounts.keys()].join(', ') || 'none'})`);
    return account;
  }

  /** Starts every account; one that fails is reported, the others keep serving. Fails only when none starts. */
  async start(signal: AbortSignal): Promise<void> {
    const results = await Promise.allSettled([...this.accounts.values()].map((account) => account.start(signal)));
    const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${[...this.accounts.keys()][i]}: ${(r.reason as Error).message}`] : []));
    if (failures.length > 0 && failures.length === results.length) throw new Error(`no Telegram account could start: ${failures.join('; ')}`);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.accounts.values()].map((account) => account.stop()));
  }

  onMessage(handler: (message: InboundMessage) => Promise<void>): () => void {
    const unsubscribes = [...this.accounts.values()].map((account) => account.onMessage(handler));
    return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
  }

  conversationId(message: InboundMessage): string {
    return this.account(message.accountId).conversationId(message);
  }

  send(message: OutboundMessage, options: { readonly signal: AbortSignal }): Promise<DeliveryReceipt> {
    return this.account(message.accountId).send(message, options);
  }

  /** The `replies` capability: a draft of the reply to `inbound`, streamed into its chat. */
  open(context: { readonly inbound: InboundMessage; readonly target: string; readonly signal: AbortSignal }): ReplyDraft {
    return this.account(context.inbound.accountId).openReplyDraft(context);
  }

  accountStatuses(): TelegramAccountStatus[] {
    return [...this.accounts.values()].map((account) => account.status());
  }

  /** Connected only when every account is healthy; the error names each account that is not. */
  status(): ChannelStatus {
    const statuses = this.accountStatuses().map((s) => ({ id: s.accountId, short: toChannelStatus(s) }));
    const errors = statuses.filter((s) => s.short.error).map((s) => `${s.id}: ${s.short.error}`);
    const lastActivityAt = Math.max(0, ...statuses.map((s) => s.short.lastActivityAt ?? 0));
    const accounts: Record<string, ChannelAccountStatus> = {};
    for (const status of this.accountStatuses()) accounts[status.accountId] = toAccountStatus(status);
    return { connected: statuses.length > 0 && statuses.every((s) => s.short.connected), ...(errors.length > 0 ? { error: errors.join('; ') } : {}), ...(lastActivityAt > 0 ? { lastActivityAt } : {}), accounts };
  }

  async probe(options: { readonly signal: AbortSignal }): Promise<ChannelProbeResult> {
    const results = await Promise.all([...this.accounts.values()].map((account) => account.probe(options)));
    if (results.length === 0) return { healthy: false, message: 'no Telegram accounts are configured (channels.telegram.accounts)' };
    const latencies = results.flatMap((r) => (r.latencyMs === undefined ? [] : [r.latencyMs]));
    return { healthy: results.every((r) => r.healthy), ...(latencies.length > 0 ? { latencyMs: Math.max(...latencies) } : {}), message: results.map((r) => r.message).join('; ') };
  }
}
