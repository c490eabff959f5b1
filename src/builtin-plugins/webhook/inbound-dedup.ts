import { HttpError, InboundReceiptStoreToken, isStoreUnavailable, type Clock, type InboundClaim, type InboundReceipt, type Logger, type ServiceRegistry, type TaskTracker } from '@nexus/plugin-sdk';

/** Expired receipts are deleted at most this often, in the background. */
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * The webhook's `message_id` de-duplication, kept by the storage slot's occupant
 * (`InboundReceiptStore`), so a retry is recognised across restarts and by every gateway on the
 * database. A message is claimed before the 202: of two deliveries of one id within the window,
 * one runs a turn and the other gets the first one's answer.
 */
export class InboundDedup {
  private lastPruneAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly deps: {
      readonly services: ServiceRegistry;
      readonly windowMs: number;
      readonly clock: Clock;
      readonly tasks: TaskTracker;
      readonly logger: Logger;
    },
  ) {}

  /** Undefined for a message seen for the first time (now recorded), else the first delivery's receipt. */
  async seenBefore(accountId: string, messageId: string): Promise<InboundReceipt | undefined> {
    const { services, windowMs } = this.deps;
    if (!services.has(InboundReceiptStoreToken)) {
      throw new HttpError(503, 'store_unavailable', 'no storage plugin is enabled, so messages can be neither stored nor told apart from retries; enable one (storage-sqlite is the default)', { 'retry-after': '30' });
    }
    let claim: InboundClaim;
    try {
      const receipts = await services.get(InboundReceiptStoreToken);
      claim = await receipts.claim({ channel: 'webhook', accountId, externalId: messageId, messageId }, { windowMs });
    } catch (error) {
      // Without the claim the message could run twice: the sender should retry, not be told 202.
      if (isStoreUnavailable(error)) throw new HttpError(503, 'store_unavailable', `${(error as Error).message}; the message was not accepted, send it again`, { 'retry-after': '5' });
      throw error;
    }
    this.pruneNowAndThen();
    return claim.claimed ? undefined : claim.original;
  }

  /** Deletes receipts older than the window, in the background, at most every 10 minutes. */
  private pruneNowAndThen(): void {
    const { services, windowMs, clock, tasks, logger } = this.deps;
    const now = clock.now();
    if (now - this.lastPruneAt < PRUNE_EVERY_MS) return;
    this.lastPruneAt = now;
    void tasks
      .run('webhook receipt pruning', async () => (await services.get(InboundReceiptStoreToken)).prune('webhook', now - windowMs))
      .catch((error: unknown) => logger.warn(`could not delete expired webhook message receipts: ${(error as Error).message}`));
  }
}
