import type { Clock, InboundReceiptStore, Logger, TaskTracker } from '../contracts/index.js';
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
  /**
   * The platform delivers again what was not confirmed: without a working store `firstSeen`
   * throws rather than risk a duplicate (see the class comment). Default false.
   */
  readonly storeRequired?: boolean;
  /** Tracks the background pruning, so the plugin's stop waits for it instead of closing the database under it. */
  readonly tasks?: TaskTracker;
}

/**
 * De-duplication of platform messages across reconnects and restarts: each message id is
 * claimed in the database (`InboundReceiptStore`), so a redelivery after a restart, or by a
 * second gateway on the same database, runs no second turn. Ids seen in this process are also
 * kept in memory, which answers redeliveries within a connection without a query.
 *
 * When there is no store or it fails, a platform that forgets what it delivered (Slack and
 * Discord take the message once acknowledged) carries on with the memory alone, with one
 * warning: a message is never lost because the store is down, at the price of a possible
 * duplicate after a restart. A platform that delivers again what was not confirmed (Telegram's
 * offsets, a retried webhook) sets `storeRequired`: `firstSeen` then throws, the message is left
 * unconfirmed, and it comes again once the store answers, with neither a loss nor a duplicate.
 */
export class ReceiptDeduplicator implements Deduplicator {
  private readonly recent = new RecentIds();
  private lastPruneAt = Number.NEGATIVE_INFINITY;
  private warned = false;

  constructor(private readonly options: ReceiptDeduplicatorOptions) {}

  async firstSeen(key: string): Promise<boolean> {
    if (!this.recent.firstSeen(key)) return false;
    const { channel, accountId, windowMs } = this.options;
    let problem: string;
    try {
      const store = await this.options.receipts();
      if (store) {
        const claim = await store.claim({ channel, accountId, externalId: key, messageId: key }, { windowMs });
        this.pruneNowAndThen(store);
        return claim.claimed;
      }
      problem = 'no storage plugin is enabled';
    } catch (error) {
      problem = `the inbound receipt store failed (${(error as Error).message})`;
    }
    if (!this.options.storeRequired) return this.degrade(problem);
    // Not handled here after all: the redelivery must find the id unseen.
    this.recent.forget(key);
    throw new Error(`${channel}/${accountId}: ${problem}, so message ${key} cannot be told apart from a redelivery and is left for the platform to deliver again; enable a storage plugin (storage-sqlite is the default)`);
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
    const { channel, windowMs, tasks, logger } = this.options;
    const prune = () => store.prune(channel, now - windowMs);
    (tasks ? tasks.run(`${channel} receipt pruning`, prune) : prune()).catch((error: unknown) => logger.warn(`could not delete expired ${channel} message receipts: ${(error as Error).message}`));
  }
}
