/** What the account is doing: connecting, receiving, backing off after a failure, or stopped for good. */
export type AccountState = 'stopped' | 'starting' | 'running' | 'backing_off' | 'failed';

export interface BotIdentity {
  readonly id: number;
  readonly username: string;
  readonly canJoinGroups: boolean;
  readonly canReadAllGroupMessages: boolean;
}

/** Counts since the account started, for `channels status` and the metrics plugin. */
export interface AccountCounters {
  received: number;
  duplicates: number;
  ignored: number;
  sent: number;
  failed: number;
  conflicts: number;
  rateLimited: number;
  reconnects: number;
  attachmentsSkipped: number;
  webhookRejected: number;
  /** Refused by the access policy (dm_policy, group_policy, allow_from, require_mention): never handed on. */
  refused: number;
  /** Pairing codes sent to unknown DM senders. */
  pairingCodesSent: number;
}

/**
 * The facts health is computed from: when each kind of success last happened, and the last
 * failure. Components record events here; nothing in it is a "connected" flag, because health
 * comes from how old the last success is (see account-health.ts).
 */
export class AccountActivity {
  state: AccountState = 'stopped';
  bot: BotIdentity | undefined;
  startedAt: number | undefined;
  /** Polling: the last getUpdates that answered. */
  lastPollOkAt: number | undefined;
  /** Webhook mode: the last authenticated delivery, or getWebhookInfo showing our URL without errors. */
  lastWebhookOkAt: number | undefined;
  lastInboundAt: number | undefined;
  /** Any Bot API call that answered ok. */
  lastApiOkAt: number | undefined;
  lastError: { readonly message: string; readonly at: number } | undefined;
  /** Why the account stopped and will not retry by itself (a rejected token). */
  fatal: string | undefined;
  /** A problem that does not stop the account but needs the operator (a webhook set elsewhere, an offset not saved). */
  warning: string | undefined;
  /** Since when polling waits because too many messages are queued for the agent. */
  backpressureSince: number | undefined;
  consecutiveFailures = 0;
  nextRetryAt: number | undefined;
  readonly counters: AccountCounters = { received: 0, duplicates: 0, ignored: 0, sent: 0, failed: 0, conflicts: 0, rateLimited: 0, reconnects: 0, attachmentsSkipped: 0, webhookRejected: 0, refused: 0, pairingCodesSent: 0 };

  private contactWaiters: (() => void)[] = [];

  /**
   * Resolves at the next success or failure the account records: how `start` knows the first
   * poll (or webhook check) has answered, so a started account reports facts, not "starting".
   */
  nextContact(): Promise<void> {
    return new Promise((resolve) => this.contactWaiters.push(resolve));
  }

  private contact(): void {
    for (const resolve of this.contactWaiters.splice(0)) resolve();
  }

  failure(message: string, at: number): void {
    this.lastError = { message, at };
    this.consecutiveFailures++;
    this.contact();
  }

  recovered(): void {
    this.contact();
    if (this.consecutiveFailures > 0) this.counters.reconnects++;
    this.consecutiveFailures = 0;
    this.nextRetryAt = undefined;
    if (this.state === 'backing_off') this.state = 'running';
  }
}
