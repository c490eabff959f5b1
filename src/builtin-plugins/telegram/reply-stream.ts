import { DraftFailedError, EditingReplyDraft, markdownToTelegramHtml, type ChannelTimers } from '@nexus/plugin-sdk/channel';
import type { DeliveryReceipt, Logger } from '@nexus/plugin-sdk';
import type { AccountActivity } from './account-activity.js';
import type { ChatTarget } from './chat-target.js';
import type { MessagePoster } from './message-poster.js';
import { deliveryError } from './telegram-errors.js';
import { TELEGRAM_TEXT_LIMIT } from './telegram-sender.js';

/** A reply being written while the model streams it. */
export interface ReplyStream {
  /** More text of the reply (Markdown), as it arrives. */
  push(delta: string): void;
  /** Writes the final text; resolves once every part is delivered. */
  finish(): Promise<DeliveryReceipt>;
  /** Stops editing (the turn was cancelled); what was shown stays. */
  cancel(): void;
}

export interface ReplyStreamDeps {
  readonly poster: MessagePoster;
  readonly accountId: string;
  readonly apiRoot: string;
  readonly token: string;
  readonly activity: AccountActivity;
  readonly timers: ChannelTimers;
  readonly logger: Logger;
  readonly editIntervalMs: number;
}

/**
 * A streamed reply edited in place: the first text is posted, then the message is edited with
 * editMessageText as text arrives, at most once per `editIntervalMs` (Telegram allows about one
 * edit a second per chat). Past 4096 characters the message is finished at a paragraph or
 * code-fence boundary and the reply continues in a new one.
 */
export function openReplyStream(deps: ReplyStreamDeps, target: ChatTarget, options: { readonly replyTo?: number; readonly signal?: AbortSignal }): ReplyStream {
  let first = true;
  const draft = new EditingReplyDraft<number>({
    limit: TELEGRAM_TEXT_LIMIT,
    minIntervalMs: deps.editIntervalMs,
    timers: deps.timers,
    render: markdownToTelegramHtml,
    transport: {
      send: async (html) => {
        const replyTo = first ? options.replyTo : undefined;
        first = false;
        const sent = await deps.poster.post(target, html, { ...(replyTo !== undefined ? { replyTo } : {}), ...(options.signal ? { signal: options.signal } : {}) });
        deps.activity.counters.sent++;
        return sent.message_id;
      },
      edit: (id, html) => deps.poster.edit(target, id, html, options.signal),
    },
    onError: (error, during) => deps.logger.warn(`a streamed Telegram reply could not ${during === 'send' ? 'be posted' : 'be edited'}`, { account: deps.accountId, error: (error as Error).message }),
  });
  options.signal?.addEventListener('abort', () => draft.cancel(), { once: true });
  return {
    push: (delta) => draft.push(delta),
    cancel: () => draft.cancel(),
    finish: async () => {
      try {
        const ids = await draft.finish();
        return { ...(ids.length > 0 ? { externalId: `${target.chatId}:${ids.at(-1)}` } : {}), deliveredAt: deps.timers.now() };
      } catch (error) {
        deps.activity.counters.failed++;
        const cause = error instanceof DraftFailedError ? error.cause : error;
        throw deliveryError(cause, { ...deps, what: `the streamed reply to ${target.chatId}` });
      }
    },
  };
}
