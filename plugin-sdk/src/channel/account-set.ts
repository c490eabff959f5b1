import type { ChannelAccountStatus, ChannelHealth, ChannelInbound, ChannelLifecycle, ChannelOutbound, ChannelProbeResult, ChannelStatus, ConversationResolver, DeliveryReceipt, InboundMessage, Logger, OutboundMessage } from '../contracts/index.js';

/**
 * The outbound and health capabilities of a channel with named accounts, each a connection of
 * its own (Slack's Socket Mode, Discord's gateway): the parts that do not depend on the
 * platform, so every such channel reports and counts the same way.
 */

/** Replies sent and failed, counted by the outbound and replies capabilities. */
export interface SendCounters {
  sent: number;
  failed: number;
}

/** What the kit needs of one account's engine. */
export interface AccountEngine {
  readonly sender: { send(message: OutboundMessage, options: { readonly signal: AbortSignal }): Promise<DeliveryReceipt> };
  /** `healthy` comes from the age of the newest inbound frame, never from a flag alone. */
  status(): { readonly state: string; readonly healthy: boolean; readonly error?: string; readonly lastInboundAt?: number; readonly inboundAgeMs?: number; readonly received: number; readonly refused: number };
  /** Replaces a connection that went quiet at once, instead of at the next scheduled check. */
  checkLiveness(): unknown;
  probe(): Promise<ChannelProbeResult>;
  /** The credential check alone, for an account this process never started. */
  login(): Promise<{ readonly ok: boolean; readonly problems: readonly string[]; readonly warnings: readonly string[]; readonly latencyMs?: number }>;
}

export interface AccountEntry<E extends AccountEngine = AccountEngine> {
  readonly name: string;
  readonly engine: E;
  readonly counters: SendCounters;
}

/** How the platform is named in messages: `Slack`, `slack`, and what a quiet connection is called there. */
export interface AccountPlatform {
  readonly label: string;
  readonly id: string;
  /** e.g. `a half-open socket`, `a zombie connection`. */
  readonly quietConnection: string;
}

/** The account an outbound message or a reply names; the error lists the configured ones. */
export function accountNamed<T extends AccountEntry>(accounts: ReadonlyMap<string, T>, accountId: string, platform: AccountPlatform): T {
  const entry = accounts.get(accountId);
  if (entry) return entry;
  const known = [...accounts.keys()];
  throw new Error(`no ${platform.label} account "${accountId}" is configured (channels.${platform.id}.accounts has ${known.length > 0 ? known.join(', ') : 'none'})`);
}

/** Sends each reply through the account it names, counting what was sent and what failed. */
export class AccountsOutbound implements ChannelOutbound {
  constructor(
    private readonly accounts: ReadonlyMap<string, AccountEntry>,
    private readonly platform: AccountPlatform,
  ) {}

  async send(message: OutboundMessage, options: { readonly signal: AbortSignal }): Promise<DeliveryReceipt> {
    options.signal.throwIfAborted();
    const entry = accountNamed(this.accounts, message.accountId, this.platform);
    try {
      const receipt = await entry.engine.sender.send(message, options);
      entry.counters.sent += 1;
      return receipt;
    } catch (error) {
      entry.counters.failed += 1;
      throw error;
    }
  }
}

/**
 * `channels status` and its `--probe`. An account is connected only while its newest inbound
 * frame is fresh, so a quiet connection shows as not connected; `probe` also replaces such a
 * connection at once instead of waiting for the next check.
 */
export class AccountsHealth implements ChannelHealth {
  constructor(
    private readonly accounts: ReadonlyMap<string, AccountEntry>,
    private readonly platform: AccountPlatform,
  ) {}

  status(): ChannelStatus {
    const accounts: Record<string, ChannelAccountStatus> = {};
    for (const entry of this.accounts.values()) accounts[entry.name] = this.accountStatus(entry);
    const all = Object.values(accounts);
    const errors = Object.entries(accounts).flatMap(([name, status]) => (status.error ? [`${name}: ${status.error}`] : []));
    const lastActivityAt = Math.max(...all.map((status) => status.lastInboundAt ?? Number.NEGATIVE_INFINITY));
    return {
      connected: all.length > 0 && all.every((status) => status.connected),
      ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
      ...(Number.isFinite(lastActivityAt) ? { lastActivityAt } : {}),
      accounts,
    };
  }

  async probe(options: { readonly signal: AbortSignal }): Promise<ChannelProbeResult> {
    const { label, id } = this.platform;
    if (this.accounts.size === 0) return { healthy: false, message: `no ${label} accounts are configured (channels.${id}.accounts)` };
    const results = await Promise.all(
      [...this.accounts.values()].map(async (entry): Promise<ChannelProbeResult> => {
        options.signal.throwIfAborted();
        if (entry.engine.status().state === 'idle') return this.credentialsOnly(entry);
        entry.engine.checkLiveness();
        return entry.engine.probe();
      }),
    );
    const latencies = results.flatMap((result) => (result.latencyMs === undefined ? [] : [result.latencyMs]));
    return { healthy: results.every((result) => result.healthy), ...(latencies.length > 0 ? { latencyMs: Math.max(...latencies) } : {}), message: results.map((result) => result.message).join('\n') };
  }

  /**
   * The probe of an account this process never started (`nexus channels status --probe` and
   * `doctor --probe` run in their own process, beside the gateway): the credential check alone.
   */
  private async credentialsOnly(entry: AccountEntry): Promise<ChannelProbeResult> {
    const report = await entry.engine.login();
    const said = report.ok ? 'the credentials work (not connected from this process)' : report.problems.join('; ');
    const message = [`${this.platform.id}/${entry.name}: ${said}`, ...report.warnings].join('; ');
    return { healthy: report.ok, ...(report.latencyMs !== undefined ? { latencyMs: report.latencyMs } : {}), message };
  }

  private accountStatus(entry: AccountEntry): ChannelAccountStatus {
    const status = entry.engine.status();
    const stale = status.state === 'connected' && !status.healthy ? `no frame from ${this.platform.label} for ${status.inboundAgeMs ?? 0} ms (${this.platform.quietConnection}; it is being replaced)` : undefined;
    const error = stale ?? status.error;
    return {
      connected: status.healthy,
      state: status.state,
      ...(error ? { error } : {}),
      ...(status.lastInboundAt !== undefined ? { lastInboundAt: status.lastInboundAt } : {}),
      received: status.received,
      sent: entry.counters.sent,
      failed: entry.counters.failed,
      refused: status.refused,
    };
  }
}

/** How often `start` looks whether the accounts have connected. */
const START_POLL_MS = 25;

/** The longest `start` waits for the first connections; the accounts keep connecting after it returns. */
const START_WAIT_MS = 15_000;

/** What the lifecycle and inbound capabilities need of an account's engine, beyond `AccountEngine`. */
export interface ConnectedAccountEngine extends AccountEngine {
  /** Starts connecting in the background; `status()` tells how it goes. */
  start(): Promise<void>;
  stop(): Promise<void>;
  onMessage(handler: (message: InboundMessage) => Promise<void>): () => void;
}

/**
 * The channel's lifecycle, inbound and conversation capabilities over every configured
 * account: `start` connects them all (each keeps reconnecting on its own), handlers hear every
 * account's admitted messages, and `conversationId` is the platform's session scoping.
 */
export class AccountsChannel implements ChannelLifecycle, ChannelInbound, ConversationResolver {
  constructor(
    private readonly accounts: ReadonlyMap<string, AccountEntry<ConnectedAccountEngine>>,
    private readonly platform: AccountPlatform,
    private readonly conversationOf: (message: InboundMessage) => string,
    private readonly logger: Logger,
  ) {}

  /**
   * Starts every account and waits (within `signal`, and at most 15 s, so an unreachable
   * platform does not hold up the gateway) until each has connected or failed. It throws only
   * when every account failed, with each one's reason; an account still connecting when the
   * wait ends keeps connecting in the background.
   */
  async start(signal: AbortSignal): Promise<void> {
    const entries = [...this.accounts.values()];
    await Promise.all(entries.map((entry) => entry.engine.start()));
    const waiting = AbortSignal.any([signal, AbortSignal.timeout(START_WAIT_MS)]);
    const settled = (entry: AccountEntry) => ['connected', 'failed'].includes(entry.engine.status().state);
    while (!waiting.aborted && entries.some((entry) => !settled(entry))) {
      await new Promise((resolve) => setTimeout(resolve, START_POLL_MS));
    }
    const failed = entries.filter((entry) => entry.engine.status().state === 'failed');
    const { id } = this.platform;
    for (const entry of failed) this.logger.error(`${id}/${entry.name} could not connect: ${entry.engine.status().error ?? 'unknown error'}`);
    if (entries.length > 0 && failed.length === entries.length) {
      throw new Error(failed.map((entry) => `${id}/${entry.name}: ${entry.engine.status().error ?? 'could not connect'}`).join('; '));
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.accounts.values()].map((entry) => entry.engine.stop()));
  }

  onMessage(handler: (message: InboundMessage) => Promise<void>): () => void {
    const unsubscribes = [...this.accounts.values()].map((entry) => entry.engine.onMessage(handler));
    return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
  }

  conversationId(message: InboundMessage): string {
    return this.conversationOf(message);
  }
}
