import type { Attachment, InboundMessage } from '@nexus/plugin-sdk';
import { chatType, mentionsBot, plainText, type SlackEventCallback, type UserMessageEvent } from './slack-events.js';
import type { SkippedFile } from './slack-files.js';
import type { KnownThreads } from './known-threads.js';

export interface SlackInboundContext {
  readonly accountId: string;
  readonly botUserId: string | undefined;
  readonly receivedAt: number;
  readonly threads: KnownThreads;
}

/** The platform id a message is de-duplicated by: a Slack message is its channel and ts. */
export function slackMessageKey(event: UserMessageEvent): string {
  return `${event.channel}:${event.ts}`;
}

/**
 * The thread a reply goes into: the thread the message is in; else, in a channel, a new thread
 * under the message; in a DM, none (replies stay inline, as in a conversation).
 */
export function replyThreadTs(event: UserMessageEvent): string | undefined {
  if (event.thread_ts) return event.thread_ts;
  return chatType(event) === 'dm' ? undefined : event.ts;
}

/**
 * A Slack message as the gateway's `InboundMessage`. The metadata carries what the policy
 * decision needs (`chat_type`, `is_dm`, `mentioned`, `in_bot_thread`) and what the reply needs
 * (`slack_channel`, `slack_reply_thread_ts`), beside the Slack ids the Go version exposed.
 */
export function slackInboundMessage(
  body: SlackEventCallback,
  event: UserMessageEvent,
  files: { readonly attachments: readonly Attachment[]; readonly skipped: readonly SkippedFile[] },
  context: SlackInboundContext,
): InboundMessage {
  const text = event.text ?? '';
  const type = chatType(event);
  const inThread = event.thread_ts !== undefined && event.thread_ts !== event.ts;
  const replyThread = replyThreadTs(event);
  const metadata: Record<string, unknown> = {
    chat_type: type,
    is_dm: type === 'dm',
    mentioned: event.type === 'app_mention' || mentionsBot(text, context.botUserId),
    in_bot_thread: inThread && context.threads.has(event.channel, event.thread_ts!),
    group_id: type === 'dm' ? undefined : event.channel,
    slack_channel: event.channel,
    slack_user_id: event.user,
    slack_ts: event.ts,
    slack_team_id: body.team_id,
    slack_event_id: body.event_id,
    ...(inThread ? { slack_thread_ts: event.thread_ts, reply_to: event.thread_ts } : {}),
    ...(replyThread ? { slack_reply_thread_ts: replyThread } : {}),
    ...(files.skipped.length > 0 ? { attachments_skipped: files.skipped } : {}),
  };
  return {
    channel: 'slack',
    accountId: context.accountId,
    externalId: slackMessageKey(event),
    senderId: event.user,
    content: plainText(text, context.botUserId),
    ...(files.attachments.length > 0 ? { attachments: files.attachments } : {}),
    metadata: Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== undefined)),
    receivedAt: context.receivedAt,
  };
}
