import { InboundReceiptStoreToken, type Clock, type Logger, type ServiceRegistry, type TaskTracker } from '@nexus/plugin-sdk';
import type { SeenMessages } from './ports.js';

/** Telegram keeps an unconfirmed update for 24 hours; a redelivery is recognised for twice that. */
export const DEDUP_WINDOW_MS = 48 * 60 * 60_000;
/** Expired receipts are deleted at most this often, in the background. */
const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * De-duplication in the database (`nexus.store.inbound-receipts`), so an update Telegram sends
 * again after a restart (the offset was not saved, a webhook was retried) runs no second turn,
 * and gateways on one database agree. Without a storage plugin nothing can be told apart from a
 * redelivery, so the claim fails and the update is taken again later: polling retries from the
 * same offset, and a webhook answers non-2xx so Telegram retries.
 */
export class ReceiptDedup {
  private lastPruneAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: { readonly services: ServiceRegistry; readonly clock: Clock; readonly tasks: TaskTracker; readonly logger: Logger; readonly windowMs?: number }) {}

  /** The engine's `SeenMessages` port for one account: keys are per bot, receipts per account. */
  forAccount(accountId: string): SeenMessages {
    return { firstSeen: (key) => this.firstSeen(accountId, key) };
  }

  private async firstSeen(accountId: string, key: string): Promise<boolean> {
    const { services } = this.deps;
    if (!services.has(InboundReceiptStoreToken)) {
      throw new Error('no storage plugin provides inbound receipts (nexus.store.inbound-receipts), so Telegram updates cannot be de-duplicated; enable one (storage-sqlite is the default)');
    }
    const receipts = await services.get(InboundReceiptStoreToken);
    const claim = await receipts.claim({ channel: 'telegram', accountId, externalId: key, messageId: key }, { windowMs: this.windowMs });
    this.pruneNowAndThen();
    return claim.claimed;
  }

  private get windowMs(): number {
    return this.deps.windowMs ?? DEDUP_WINDOW_MS;
  }

  private pruneNowAndThen(): void {
    const { services, clock, tasks, logger } = this.deps;
    const now = clock.now();
    if (now - this.lastPruneAt < PRUNE_EVERY_MS) return;
    this.lastPruneAt = now;
    void tasks
      .run('telegram receipt pruning', async () => (await services.get(InboundReceiptStoreToken)).prune('telegram', now - this.windowMs))
      .catch((error: unknown) => logger.warn(`could not delete expired Telegram message receipts: ${(error as Error).message}`));
  }
}
