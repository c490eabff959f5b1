import { markdownToTelegramHtml, StreamedReply, type ChannelTimers } from '@nexus/plugin-sdk/channel';
import type { DeliveryReceipt, Logger, ReplyDraft } from '@nexus/plugin-sdk';
import type { AccountActivity } from './account-activity.js';
import type { ChatTarget } from './chat-target.js';
import type { MessagePoster } from './message-poster.js';
import { deliveryError } from './telegram-errors.js';
import { TELEGRAM_TEXT_LIMIT } from './telegram-sender.js';

export interface ReplyDraftDeps {
  readonly poster: MessagePoster;
  readonly accountId: string;
  readonly apiRoot: string;
  readonly token: string;
  readonly activity: AccountActivity;
  readonly timers: ChannelTimers;
  readonly logger: Logger;
  readonly editIntervalMs: number;
  /** Starts "typing…" in the chat; returns its stop. */
  readonly startTyping: () => () => void;
}

/**
 * The `replies` capability's draft for one turn (see `ChannelReplies`), on the kit's
 * `StreamedReply`: "typing…" while the turn runs, one message edited with editMessageText as
 * the text grows, at most once per `editIntervalMs` (Telegram allows about one edit a second
 * per chat), continued in new messages past 4096 characters. `abandon` deletes what was posted.
 */
export function openReplyDraft(deps: ReplyDraftDeps, target: ChatTarget, options: { readonly replyTo?: number; readonly signal: AbortSignal }): ReplyDraft {
  let first = true;
  const reply = new StreamedReply<number>({
    limit: TELEGRAM_TEXT_LIMIT,
    minIntervalMs: deps.editIntervalMs,
    timers: deps.timers,
    render: markdownToTelegramHtml,
    signal: options.signal,
    transport: {
      send: async (html, signal) => {
        const replyTo = first ? options.replyTo : undefined;
        first = false;
        const sent = await deps.poster.post(target, html, { ...(replyTo !== undefined ? { replyTo } : {}), signal });
        deps.activity.counters.sent++;
        return sent.message_id;
      },
      edit: (id, html, signal) => deps.poster.edit(target, id, html, signal),
      remove: (id, signal) => deps.poster.remove(target, id, signal),
      externalId: (id) => `${target.chatId}:${id}`,
      typing: deps.startTyping,
    },
    onError: (error, during) => deps.logger.warn(`a streamed Telegram reply could not be ${during === 'send' ? 'posted' : during === 'edit' ? 'edited' : 'deleted'}`, { account: deps.accountId, error: (error as Error).message }),
  });
  return {
    update: (text) => reply.update(text),
    finish: async (text): Promise<DeliveryReceipt> => {
      try {
        return await reply.finish(text);
      } catch (error) {
        deps.activity.counters.failed++;
        const cause = (error as { cause?: unknown })?.cause ?? error;
        throw deliveryError(cause, { ...deps, what: `the streamed reply to ${target.chatId}` });
      }
    },
    abandon: async (reason) => {
      deps.logger.debug(`a streamed Telegram reply was abandoned: ${reason}`, { account: deps.accountId });
      await reply.abandon(reason);
    },
  };
}
