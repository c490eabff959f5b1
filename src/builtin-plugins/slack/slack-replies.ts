import type { ChannelReplies, InboundMessage, Logger, ReplyDraft } from '@nexus/plugin-sdk';
import { accountNamed, countedReplyDraft, markdownToSlackMrkdwn, StreamedReply, type ChannelTimers } from '@nexus/plugin-sdk/channel';
import { SLACK_MESSAGE_LIMIT, slackTarget } from './engine/index.js';
import { SLACK, type SlackAccountEntry } from './slack-accounts.js';

/** chat.update is Tier 3 (about 50 a minute per workspace): one edit per reply every 1.2 s stays within it. */
const EDIT_INTERVAL_MS = 1_200;

/** Room for what mrkdwn adds to the source (escaped &, <, >), so a rendered part stays within Slack's limit. */
const SOURCE_LIMIT = Math.floor(SLACK_MESSAGE_LIMIT * 0.9);

/** The reaction that stands in for "typing…", which Slack does not offer bots. */
const WORKING_REACTION = 'hourglass_flowing_sand';

/**
 * Streamed replies: the message being answered gets an ⏳ reaction while the turn runs, the
 * reply is posted in its thread once text arrives and edited in place with chat.update as the
 * text grows, and a failed turn deletes what was shown (chat.delete).
 */
export class SlackReplies implements ChannelReplies {
  constructor(
    private readonly accounts: ReadonlyMap<string, SlackAccountEntry>,
    private readonly timers: ChannelTimers,
    private readonly logger: Logger,
  ) {}

  open(context: { readonly inbound: InboundMessage; readonly target: string; readonly signal: AbortSignal }): ReplyDraft {
    const entry = accountNamed(this.accounts, context.inbound.accountId, SLACK);
    const sender = entry.engine.sender;
    const target = slackTarget(context.target, context.inbound.metadata);
    const answered = context.inbound.metadata?.slack_ts;
    const reply = new StreamedReply<string>({
      transport: {
        send: (text, signal) => sender.post(target, text, signal),
        edit: (ts, text, signal) => sender.edit(target, ts, text, signal),
        remove: (ts, signal) => sender.remove(target, ts, signal),
        externalId: (ts) => `${target.channel}:${ts}`,
        ...(typeof answered === 'string' ? { typing: () => this.working(entry, target.channel, answered) } : {}),
      },
      limit: SOURCE_LIMIT,
      minIntervalMs: EDIT_INTERVAL_MS,
      timers: this.timers,
      render: markdownToSlackMrkdwn,
      signal: context.signal,
      onError: (error, during) => this.logger.warn(`slack/${entry.name}: a streamed reply could not ${during === 'send' ? 'be posted' : during === 'edit' ? 'be edited' : 'be deleted'}: ${(error as Error).message}`),
    });
    return countedReplyDraft(reply, entry.counters);
  }

  /** Adds the ⏳ reaction; the returned function removes it. Failures (no reactions:write) only log. */
  private working(entry: SlackAccountEntry, channel: string, ts: string): () => void {
    const signal = AbortSignal.timeout(15_000);
    const added = entry.engine.sender.react(channel, ts, WORKING_REACTION, 'add', signal).then(
      () => true,
      (error: unknown) => (this.logger.debug(`slack/${entry.name}: could not add the working reaction: ${(error as Error).message}`), false),
    );
    return () =>
      void added.then((ok) => {
        if (ok) return entry.engine.sender.react(channel, ts, WORKING_REACTION, 'remove', AbortSignal.timeout(15_000)).catch((error: unknown) => this.logger.debug(`slack/${entry.name}: could not remove the working reaction: ${(error as Error).message}`));
        return undefined;
      });
  }
}
