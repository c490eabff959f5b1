import type { InboundMessage } from '@nexus/plugin-sdk';

/** Where a Discord reply goes: a channel (a thread is a channel), optionally as a reply to a message. */
export interface DiscordTarget {
  readonly channelId: string;
  readonly replyTo?: string;
}

/** `session.discord_scope`: one session per thread, or one per channel (a thread joins its parent's). */
export type DiscordScope = 'thread' | 'channel';

/**
 * The conversation id that scopes a message's session: `<account>:<channel id>`, where the
 * channel is the thread for thread scope, and the thread's parent for channel scope.
 */
export function discordConversationId(message: InboundMessage, scope: DiscordScope): string {
  const channel = message.metadata?.discord_channel_id;
  if (typeof channel !== 'string') throw new Error(`message ${message.externalId} has no metadata.discord_channel_id; it did not come from the Discord channel`);
  const parent = message.metadata?.discord_parent_id;
  return `${message.accountId}:${scope === 'channel' && typeof parent === 'string' ? parent : channel}`;
}

/**
 * The target of an outbound message: the inbound message's metadata when the reply carries it
 * (it goes to the same channel or thread, as a reply in server channels), else the conversation
 * id `<account>:<channel id>` or a bare channel id.
 */
export function discordTarget(target: string, metadata?: Readonly<Record<string, unknown>>): DiscordTarget {
  const channel = metadata?.discord_channel_id;
  if (typeof channel === 'string' && channel !== '') {
    const replyTo = metadata?.discord_message_id;
    return typeof replyTo === 'string' && metadata?.is_dm !== true ? { channelId: channel, replyTo } : { channelId: channel };
  }
  const id = target.includes(':') ? target.slice(target.lastIndexOf(':') + 1) : target;
  if (/^\d{15,21}$/.test(id)) return { channelId: id };
  throw new Error(`"${target}" is not a Discord target: use a channel id (a snowflake) or <account>:<channel id>`);
}
