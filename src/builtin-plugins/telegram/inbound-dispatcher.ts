import type { Update } from 'grammy/types';
import { KeyedSerialQueue, type ChannelTimers, type Deduplicator } from '@nexus/plugin-sdk/channel';
import type { Attachment, InboundMessage, Logger } from '@nexus/plugin-sdk';
import type { AccountActivity } from './account-activity.js';
import type { AttachmentFetcher, SkippedAttachment } from './attachment-fetcher.js';
import { normaliseUpdate, type NormalisedMessage } from './update-normaliser.js';

type Handler = (message: InboundMessage) => Promise<void>;

export interface InboundDispatcherDeps {
  readonly channel: string;
  readonly accountId: string;
  readonly activity: AccountActivity;
  readonly seen: Deduplicator;
  readonly fetcher: AttachmentFetcher;
  readonly timers: ChannelTimers;
  readonly logger: Logger;
  readonly maxPending: number;
  readonly maxAttachmentBytes: number;
  /**
   * The access policy (the kit's `ChannelAccessGate`): whether the message may reach the agent.
   * Asked before its files are downloaded, so it sees no attachments; a refused message is
   * counted and goes no further. Everything passes when absent.
   */
  readonly admit?: (message: InboundMessage) => Promise<boolean>;
}

/**
 * From updates to `InboundMessage`s for the gateway: each update is read once (by update id,
 * and by chat and message id, so a redelivered webhook or a re-fetched batch is not handled
 * twice), its files downloaded within the limit, and handed to every subscriber. Messages of one
 * conversation go out in the order they arrived; conversations proceed side by side. Polling
 * waits while more than `maxPending` messages are queued.
 */
export class InboundDispatcher {
  private readonly handlers = new Set<Handler>();
  private readonly queue = new KeyedSerialQueue();
  private stopping = new AbortController();

  constructor(private readonly deps: InboundDispatcherDeps) {}

  onMessage(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  get pending(): number {
    return this.queue.pending;
  }

  /** Queues the updates in order; resolves once each is queued (or skipped), not handled. */
  async accept(updates: readonly Update[]): Promise<void> {
    for (const update of updates) {
      if (this.queue.pending > this.deps.maxPending) {
        this.deps.activity.backpressureSince ??= this.deps.timers.now();
        await this.queue.belowOrAt(this.deps.maxPending);
        this.deps.activity.backpressureSince = undefined;
      }
      await this.acceptOne(update);
    }
  }

  /** Waits for every queued message to be handled, for a clean stop. */
  async drain(): Promise<void> {
    await this.queue.drained();
  }

  /** Cancels downloads still running (the account stops); a new signal serves the next start. */
  abort(): void {
    this.stopping.abort(new Error('the Telegram account stopped'));
    this.stopping = new AbortController();
  }

  private async acceptOne(update: Update): Promise<void> {
    const { activity, seen, logger, accountId } = this.deps;
    const bot = activity.bot;
    if (!bot) throw new Error('the bot identity (getMe) must be known before updates are read');
    // Receipts are keyed by bot: update and message ids count per bot (and a private chat's id
    // is the user's for every bot), so an account switched to another bot's token would
    // otherwise take the new bot's first messages for ones the old bot already handled.
    if (!(await seen.firstSeen(`update:${bot.id}:${update.update_id}`))) {
      activity.counters.duplicates++;
      return;
    }
    const result = normaliseUpdate(update, { accountId, bot, maxAttachmentBytes: this.deps.maxAttachmentBytes });
    if ('ignored' in result) {
      activity.counters.ignored++;
      logger.debug(`Telegram update ignored: ${result.ignored}`, { account: accountId });
      return;
    }
    const message = result.message;
    if (!(await seen.firstSeen(`message:${bot.id}:${message.externalId}`))) {
      activity.counters.duplicates++;
      return;
    }
    activity.counters.received++;
    activity.lastInboundAt = this.deps.timers.now();
    const signal = this.stopping.signal;
    this.queue.run(
      message.conversationId,
      () => this.deliver(message, signal),
      (error) => logger.error(`a Telegram message could not be handed on: ${(error as Error).message}`, { account: accountId, messageId: message.externalId }),
    );
  }

  private async deliver(normalised: NormalisedMessage, signal: AbortSignal): Promise<void> {
    const received: InboundMessage = {
      channel: this.deps.channel,
      accountId: this.deps.accountId,
      externalId: normalised.externalId,
      senderId: normalised.senderId,
      content: normalised.content,
      metadata: normalised.metadata,
      receivedAt: this.deps.timers.now(),
    };
    if (this.deps.admit && !(await this.deps.admit(received))) {
      this.deps.activity.counters.refused++;
      return;
    }
    const attachments: Attachment[] = [];
    const skipped: SkippedAttachment[] = [];
    for (const ref of normalised.attachments) {
      const result = await this.deps.fetcher.fetch(ref, signal);
      if ('attachment' in result) attachments.push(result.attachment);
      else skipped.push(result.skipped);
    }
    if (skipped.length > 0) {
      this.deps.activity.counters.attachmentsSkipped += skipped.length;
      this.deps.logger.warn(`${skipped.length} Telegram attachment(s) not handed on: ${skipped.map((s) => s.detail).join('; ')}`, { account: this.deps.accountId, messageId: normalised.externalId });
    }
    const message: InboundMessage = {
      ...received,
      ...(attachments.length > 0 ? { attachments } : {}),
      ...(skipped.length > 0 ? { metadata: { ...normalised.metadata, attachments_skipped: skipped } } : {}),
    };
    const handlers = [...this.handlers];
    if (handlers.length === 0) this.deps.logger.warn('a Telegram message arrived with nothing subscribed to it; it is dropped', { account: this.deps.accountId, messageId: message.externalId });
    const results = await Promise.allSettled(handlers.map((handle) => handle(message)));
    for (const result of results) {
      if (result.status === 'rejected') this.deps.logger.error(`a Telegram message handler failed: ${(result.reason as Error)?.message ?? String(result.reason)}`, { account: this.deps.accountId, messageId: message.externalId });
    }
  }
}
