import type { Clock, InboundReceiptStore, Logger } from '../contracts/index.js';
import type { Deduplicator } from './channel-seams.js';
import { RecentIds } from './recent-ids.js';

export interface ReceiptDeduplicatorOptions {
  readonly channel: string;
  readonly accountId: string;
  /** The store of the storage slot's occupant; undefined when no storage plugin is enabled. */
  readonly receipts: () => Promise<InboundReceiptStore | undefined>;
  /** How long a message id is remembered (redeliveries come within minutes; a day is ample). */
  readonly windowMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Expired receipts are deleted at most this often (default 10 min). */
  readonly pruneEveryMs?: number;
}

/**
 * De-duplication of platform messages across reconnects and restarts: each message id is
 * claimed in the database (`InboundReceiptStore`), so a redelivery after a restart, or by a
 * second gateway on the same database, runs no second turn. Ids seen in this process are also
 * kept in memory, which answers redeliveries within a connection without a query, and carries
 * on alone (with one warning) when there is no store or it fails: a message is never lost
 * because the store is down, at the price of a possible duplicate after a restart.
 */
export class ReceiptDeduplicator implements Deduplicator {
  private readonly recent = new RecentIds();
  private lastPruneAt = Number.NEGATIVE_INFINITY;
  private warned = false;

  constructor(private readonly options: ReceiptDeduplicatorOptions) {}

  async firstSeen(key: string): Promise<boolean> {
    if (!this.recent.firstSeen(key)) return false;
    const { channel, accountId, windowMs } = this.options;
    let store: InboundReceiptStore | undefined;
    try {
      store = await this.options.receipts();
      if (!store) return this.degrade('no storage plugin is enabled');
      const claim = await store.claim({ channel, accountId, externalId: key, messageId: key }, { windowMs });
      this.pruneNowAndThen(store);
      return claim.claimed;
    } catch (error) {
      return this.degrade(`the inbound receipt store failed (${(error as Error).message})`);
    }
  }

  private degrade(why: string): boolean {
    if (!this.warned) {
      this.warned = true;
      this.options.logger.warn(`${this.options.channel}/${this.options.accountId}: ${why}, so redelivered messages are recognised only within this process; enable a storage plugin (storage-sqlite is the default) to recognise them across restarts`);
    }
    return true;
  }

  private pruneNowAndThen(store: InboundReceiptStore): void {
    const now = this.options.clock.now();
    if (now - this.lastPruneAt < (this.options.pruneEveryMs ?? 600_000)) return;
    this.lastPruneAt = now;
    store.prune(this.options.channel, now - this.options.windowMs).catch((error: unknown) => this.options.logger.warn(`could not delete expired ${this.options.channel} message receipts: ${(error as Error).message}`));
  }
}
