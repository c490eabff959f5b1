import { InputFile, type Api } from 'grammy';
import { chunkText, markdownToTelegramHtml, type ChannelTimers } from '@nexus/plugin-sdk/channel';
import type { Attachment, DeliveryReceipt, OutboundMessage } from '@nexus/plugin-sdk';
import type { AccountActivity } from './account-activity.js';
import { parseTarget, type ChatTarget } from './chat-target.js';
import type { MessagePoster } from './message-poster.js';
import { deliveryError } from './telegram-errors.js';
import { grammySignal } from './grammy-signal.js';

/** Telegram's limit on a message's visible text. */
export const TELEGRAM_TEXT_LIMIT = 4096;
/** Photos over 10 MB must go as documents. */
const PHOTO_LIMIT = 10 * 1024 * 1024;
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

export interface TelegramSenderDeps {
  readonly api: Api;
  readonly poster: MessagePoster;
  readonly accountId: string;
  readonly apiRoot: string;
  readonly token: string;
  readonly activity: AccountActivity;
  readonly timers: ChannelTimers;
}

/**
 * Sends a whole reply: Markdown converted to Telegram's HTML, split at 4096 characters on
 * paragraph and code-fence boundaries, posted in the conversation's chat and forum topic.
 * In groups the first part replies to the message that asked, so the answer is attached to
 * the question. Attachments follow as photos or documents.
 */
export class TelegramSender {
  constructor(private readonly deps: TelegramSenderDeps) {}

  async send(message: OutboundMessage, options: { readonly signal: AbortSignal }): Promise<DeliveryReceipt> {
    const target = parseTarget(message.target, this.deps.accountId);
    const replyTo = replyToOf(message, target);
    const ids: number[] = [];
    try {
      const chunks = chunkText(message.content, { limit: TELEGRAM_TEXT_LIMIT });
      for (const [i, chunk] of chunks.entries()) {
        const html = markdownToTelegramHtml(chunk);
        if (html === '') continue;
        const sent = await this.deps.poster.post(target, html, { ...(i === 0 && replyTo !== undefined ? { replyTo } : {}), signal: options.signal });
        ids.push(sent.message_id);
      }
      for (const attachment of message.attachments ?? []) ids.push(await this.sendAttachment(target, attachment, options.signal));
    } catch (error) {
      this.deps.activity.counters.failed++;
      const partial = ids.length > 0 ? ` after ${ids.length} part(s) were delivered` : '';
      throw deliveryError(error, { ...this.deps, what: `the reply to ${message.target}${partial}` });
    }
    this.deps.activity.counters.sent += ids.length;
    return { ...(ids.length > 0 ? { externalId: `${target.chatId}:${ids.at(-1)}` } : {}), deliveredAt: this.deps.timers.now() };
  }

  private async sendAttachment(target: ChatTarget, attachment: Attachment, signal: AbortSignal): Promise<number> {
    const extra = target.topicId !== undefined ? { message_thread_id: target.topicId } : {};
    if (attachment.data) {
      const file = new InputFile(attachment.data, attachment.name ?? 'file');
      const asPhoto = PHOTO_TYPES.has(attachment.mimeType) && attachment.data.byteLength <= PHOTO_LIMIT;
      const sent = asPhoto ? await this.deps.api.sendPhoto(target.chatId, file, extra, grammySignal(signal)) : await this.deps.api.sendDocument(target.chatId, file, extra, grammySignal(signal));
      return sent.message_id;
    }
    if (attachment.url) return (await this.deps.api.sendDocument(target.chatId, attachment.url, extra, grammySignal(signal))).message_id;
    throw new Error(`attachment ${attachment.name ?? ''} has neither data nor url`);
  }
}

/** In a group, the message being answered (when the reply goes back to the chat it came from). */
export function replyToOf(message: Pick<OutboundMessage, 'metadata'>, target: ChatTarget): number | undefined {
  const meta = message.metadata ?? {};
  const type = meta.chat_type;
  if ((type !== 'group' && type !== 'supergroup') || meta.chat_id !== target.chatId) return undefined;
  return typeof meta.message_id === 'number' ? meta.message_id : undefined;
}
