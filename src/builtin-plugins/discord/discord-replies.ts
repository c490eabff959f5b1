import type { ChannelReplies, InboundMessage, Logger, ReplyDraft } from '@nexus/plugin-sdk';
import { accountNamed, countedReplyDraft, markdownToDiscord, StreamedReply, type ChannelTimers } from '@nexus/plugin-sdk/channel';
import { DISCORD_MESSAGE_LIMIT, discordTarget } from './engine/index.js';
import { DISCORD, type DiscordAccountEntry } from './discord-accounts.js';

/** Discord allows 5 message writes per 5 s in a channel: one edit per reply a second stays within it. */
const EDIT_INTERVAL_MS = 1_000;

/** Room for what Discord's dialect adds to the source (escaped markup), so a rendered part stays within 2,000 characters. */
const SOURCE_LIMIT = Math.floor(DISCORD_MESSAGE_LIMIT * 0.9);

/**
 * Streamed replies: "typing…" shows while the turn runs, the reply is posted (as a reply to the
 * message it answers, in server channels) once text arrives and edited in place as the text
 * grows, and a failed turn deletes what was shown.
 */
export class DiscordReplies implements ChannelReplies {
  constructor(
    private readonly accounts: ReadonlyMap<string, DiscordAccountEntry>,
    private readonly timers: ChannelTimers,
    private readonly logger: Logger,
  ) {}

  open(context: { readonly inbound: InboundMessage; readonly target: string; readonly signal: AbortSignal }): ReplyDraft {
    const entry = accountNamed(this.accounts, context.inbound.accountId, DISCORD);
    const sender = entry.engine.sender;
    const target = discordTarget(context.target, context.inbound.metadata);
    const plain = { channelId: target.channelId };
    let posted = 0;
    const reply = new StreamedReply<string>({
      transport: {
        // Only the first message of a reply quotes the message it answers.
        send: (text, signal) => sender.post(posted++ === 0 ? target : plain, text, signal),
        edit: (id, text, signal) => sender.edit(plain, id, text, signal),
        remove: (id, signal) => sender.remove(plain, id, signal),
        externalId: (id) => id,
        typing: () => {
          const typing = sender.startTyping(plain);
          return () => typing.stop();
        },
      },
      limit: SOURCE_LIMIT,
      minIntervalMs: EDIT_INTERVAL_MS,
      timers: this.timers,
      render: markdownToDiscord,
      signal: context.signal,
      onError: (error, during) => this.logger.warn(`discord/${entry.name}: a streamed reply could not ${during === 'send' ? 'be posted' : during === 'edit' ? 'be edited' : 'be deleted'}: ${(error as Error).message}`),
    });
    return countedReplyDraft(reply, entry.counters);
  }
}
