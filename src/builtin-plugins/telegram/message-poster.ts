import type { Api } from 'grammy';
import type { Message } from 'grammy/types';
import type { Logger } from '@nexus/plugin-sdk';
import type { ChatTarget } from './chat-target.js';
import { htmlToPlainText, isEntityParseError, isNotModified } from './html-fallback.js';
import { grammySignal } from './grammy-signal.js';

/**
 * Posts and edits HTML messages in a chat or forum topic. When Telegram refuses the markup,
 * the same text goes again without it (logged), so a converter bug costs formatting, not the
 * reply. Rate limiting and 429 retries happen below, in the API transformer.
 */
export class MessagePoster {
  constructor(
    private readonly api: Api,
    private readonly logger: Logger,
    private readonly accountId: string,
  ) {}

  async post(target: ChatTarget, html: string, options: { readonly replyTo?: number; readonly signal?: AbortSignal }): Promise<Message.TextMessage> {
    const common = {
      ...(target.topicId !== undefined ? { message_thread_id: target.topicId } : {}),
      ...(options.replyTo !== undefined ? { reply_parameters: { message_id: options.replyTo, allow_sending_without_reply: true } } : {}),
      link_preview_options: { is_disabled: true },
    };
    try {
      return await this.api.sendMessage(target.chatId, html, { ...common, parse_mode: 'HTML' }, grammySignal(options.signal));
    } catch (error) {
      if (!isEntityParseError(error)) throw error;
      this.logger.warn(`Telegram refused the reply's formatting; sending it as plain text: ${(error as { description?: string }).description}`, { account: this.accountId });
      return this.api.sendMessage(target.chatId, htmlToPlainText(html), common, grammySignal(options.signal));
    }
  }

  async edit(target: ChatTarget, messageId: number, html: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.api.editMessageText(target.chatId, messageId, html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } }, grammySignal(signal));
    } catch (error) {
      if (isNotModified(error)) return;
      if (!isEntityParseError(error)) throw error;
      this.logger.warn(`Telegram refused the edit's formatting; editing as plain text: ${(error as { description?: string }).description}`, { account: this.accountId });
      try {
        await this.api.editMessageText(target.chatId, messageId, htmlToPlainText(html), { link_preview_options: { is_disabled: true } }, grammySignal(signal));
      } catch (plainError) {
        if (!isNotModified(plainError)) throw plainError;
      }
    }
  }

  /** Deletes a message the bot posted (an abandoned streamed reply). */
  async remove(target: ChatTarget, messageId: number, signal?: AbortSignal): Promise<void> {
    await this.api.deleteMessage(target.chatId, messageId, grammySignal(signal));
  }
}
