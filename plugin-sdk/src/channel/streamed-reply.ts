import type { DeliveryReceipt, ReplyDraft } from '../contracts/index.js';
import { chunkText } from './chunk-text.js';
import { DraftFailedError, EditingReplyDraft } from './editing-reply-draft.js';
import type { ChannelTimers } from './timers.js';

/** How a streamed reply reaches the platform; every text is already rendered to its dialect. */
export interface ReplyTransport<M> {
  send(text: string, signal: AbortSignal): Promise<M>;
  edit(message: M, text: string, signal: AbortSignal): Promise<void>;
  /** Deletes a message the reply posted (the turn failed, or the final text is shorter). */
  remove(message: M, signal: AbortSignal): Promise<void>;
  /** The platform's id for a message, for the delivery receipt. */
  externalId(message: M): string;
  /** Shows "typing…" until the returned function is called; absent where the platform has none. */
  typing?(): () => void;
}

export interface StreamedReplyOptions<M> {
  readonly transport: ReplyTransport<M>;
  /** The longest message, measured on the source text (leave room for what rendering adds). */
  readonly limit: number;
  /** The least time between two writes of this reply: the platform's edit rate for one message. */
  readonly minIntervalMs: number;
  readonly timers: ChannelTimers;
  /** Markdown to the platform's dialect. */
  readonly render: (markdown: string) => string;
  /** The turn's signal: cancels the writes still waiting. */
  readonly signal: AbortSignal;
  readonly onError?: (error: unknown, during: 'send' | 'edit' | 'remove') => void;
}

/**
 * The `ReplyDraft` a channel hands the gateway for one reply: typing from the start, then the
 * reply posted once text arrives and edited in place as it grows (an `EditingReplyDraft`,
 * throttled to the platform's edit rate), continued in new messages past the platform's limit.
 * `finish` settles the final text even when it is not what streamed (a `message.sending` hook
 * rewrote it): the messages already shown are edited to it, extra ones deleted, missing ones
 * posted. `abandon` deletes what was shown.
 */
export class StreamedReply<M> implements ReplyDraft {
  private readonly draft: EditingReplyDraft<M>;
  private readonly stopTyping: () => void;
  private settled = false;

  constructor(private readonly options: StreamedReplyOptions<M>) {
    const { transport, signal } = options;
    this.draft = new EditingReplyDraft<M>({
      transport: { send: (text) => transport.send(text, signal), edit: (message, text) => transport.edit(message, text, signal) },
      limit: options.limit,
      minIntervalMs: options.minIntervalMs,
      timers: options.timers,
      render: options.render,
      ...(options.onError ? { onError: options.onError } : {}),
    });
    this.stopTyping = transport.typing?.() ?? (() => undefined);
  }

  update(text: string): void {
    if (this.settled) return;
    const shown = this.draft.text;
    // A text that is not a continuation (rewritten mid-stream) waits for `finish` to settle it.
    if (text.length > shown.length && text.startsWith(shown)) this.draft.push(text.slice(shown.length));
  }

  async finish(text: string): Promise<DeliveryReceipt> {
    this.settled = true;
    try {
      const { transport } = this.options;
      const continues = text.startsWith(this.draft.text);
      if (continues && text.length > this.draft.text.length) this.draft.push(text.slice(this.draft.text.length));
      const messages = [...(await this.draft.finish())];
      if (!continues || text.trim() === '') await this.settle(messages, text);
      const first = messages[0];
      return { ...(first !== undefined ? { externalId: transport.externalId(first) } : {}), deliveredAt: this.options.timers.now() };
    } finally {
      this.stopTyping();
    }
  }

  async abandon(reason: string): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    this.stopTyping();
    this.draft.cancel();
    let messages: readonly M[];
    try {
      messages = await this.draft.finish();
    } catch (error) {
      messages = error instanceof DraftFailedError ? (error.delivered as M[]) : [];
    }
    // The partial text must not stay up as if it were the answer; the signal may be aborted already.
    const cleanup = AbortSignal.timeout(10_000);
    for (const message of messages) {
      await this.options.transport.remove(message, cleanup).catch((error: unknown) => this.options.onError?.(new Error(`could not delete a partial reply (${reason}): ${(error as Error).message}`), 'remove'));
    }
  }

  /** Makes the posted messages show `text`: edits them in order, posts the rest, deletes what is left over. */
  private async settle(messages: M[], text: string): Promise<void> {
    const { transport, signal, render, limit } = this.options;
    const parts = text.trim() === '' ? [] : chunkText(text, { limit }).map((part) => render(part).trim()).filter((part) => part !== '');
    for (const [index, part] of parts.entries()) {
      const message = messages[index];
      if (message === undefined) messages.push(await transport.send(part, signal));
      else await transport.edit(message, part, signal);
    }
    for (const extra of messages.splice(parts.length)) await transport.remove(extra, signal);
  }
}
