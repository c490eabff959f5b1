import type { InboundMessage } from '@nexus/plugin-sdk';

/** Where a Slack reply goes: a conversation and, for threaded replies, the thread's parent ts. */
export interface SlackTarget {
  readonly channel: string;
  readonly threadTs?: string;
}

/** `session.slack_scope`: one session per thread, or one per channel. */
export type SlackScope = 'thread' | 'channel';

/**
 * The conversation id that scopes a message's session: `<account>:<channel>` or, per thread,
 * `<account>:<channel>:<thread ts>`. A top-level channel message opens a thread (the bot replies
 * in it), so with thread scope it is its own conversation; DMs are one conversation unless the
 * user started a thread.
 */
export function slackConversationId(message: InboundMessage, scope: SlackScope): string {
  const channel = message.metadata?.slack_channel;
  if (typeof channel !== 'string') throw new Error(`message ${message.externalId} has no metadata.slack_channel; it did not come from the Slack channel`);
  const thread = message.metadata?.slack_reply_thread_ts;
  return scope === 'thread' && typeof thread === 'string' ? `${message.accountId}:${channel}:${thread}` : `${message.accountId}:${channel}`;
}

/**
 * The target of an outbound message: the inbound message's metadata when the reply carries it
 * (the gateway passes it through), else the conversation id `<account>:<channel>[:<thread ts>]`
 * or a bare channel id.
 */
export function slackTarget(target: string, metadata?: Readonly<Record<string, unknown>>): SlackTarget {
  const channel = metadata?.slack_channel;
  if (typeof channel === 'string' && channel !== '') {
    const thread = metadata?.slack_reply_thread_ts;
    return typeof thread === 'string' && thread !== '' ? { channel, threadTs: thread } : { channel };
  }
  const parts = target.split(':');
  if (parts.length === 1 && /^[CDG][A-Z0-9]+$/.test(parts[0]!)) return { channel: parts[0]! };
  if ((parts.length === 2 || parts.length === 3) && parts[1]) return parts[2] ? { channel: parts[1], threadTs: parts[2] } : { channel: parts[1] };
  throw new Error(`"${target}" is not a Slack target: use a channel id (C…, D…, G…) or <account>:<channel>[:<thread ts>]`);
}
