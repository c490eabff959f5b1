import { MessageType, type GatewayMessageCreateDispatchData } from '@discordjs/core';
import type { Attachment, InboundMessage } from '@nexus/plugin-sdk';
import type { SkippedAttachment } from './discord-attachments.js';
import type { ChannelInfo } from './discord-channels.js';

/**
 * True for a person's new message. Bots (the bot itself above all: answering it would loop),
 * webhooks and system messages (joins, pins, boosts…) are ignored.
 */
export function isUserMessage(message: GatewayMessageCreateDispatchData, botUserId: string | undefined): boolean {
  if (message.author.bot || message.author.id === botUserId || message.webhook_id !== undefined) return false;
  return message.type === MessageType.Default || message.type === MessageType.Reply;
}

/** Whether the message @mentions the bot or replies to one of its messages. */
export function addressesBot(message: GatewayMessageCreateDispatchData, botUserId: string | undefined): boolean {
  if (botUserId === undefined) return false;
  return message.mentions.some((user) => user.id === botUserId) || message.referenced_message?.author.id === botUserId;
}

/** The text without the bot's own mention (`<@id>` or `<@!id>`). */
export function withoutBotMention(content: string, botUserId: string | undefined): string {
  if (botUserId === undefined) return content.trim();
  return content
    .replace(new RegExp(`<@!?${botUserId}>`, 'g'), '')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

export interface DiscordInboundContext {
  readonly accountId: string;
  readonly botUserId: string | undefined;
  readonly channel: ChannelInfo | undefined;
  readonly receivedAt: number;
}

/**
 * A Discord message as the gateway's `InboundMessage`. The metadata carries what the policy
 * decision needs (`chat_type`, `is_dm`, `mentioned`, `group_id`) and what the reply needs
 * (`discord_channel_id`, `discord_message_id`), beside the ids the Go version exposed.
 */
export function discordInboundMessage(
  message: GatewayMessageCreateDispatchData,
  files: { readonly attachments: readonly Attachment[]; readonly skipped: readonly SkippedAttachment[] },
  context: DiscordInboundContext,
): InboundMessage {
  const isDm = message.guild_id === undefined;
  const thread = context.channel?.isThread ? context.channel : undefined;
  const metadata: Record<string, unknown> = {
    chat_type: isDm ? 'dm' : 'channel',
    is_dm: isDm,
    mentioned: addressesBot(message, context.botUserId),
    group_id: isDm ? undefined : (thread?.parentId ?? message.channel_id),
    discord_channel_id: message.channel_id,
    discord_guild_id: message.guild_id,
    discord_message_id: message.id,
    discord_user_id: message.author.id,
    discord_username: message.author.username,
    discord_display_name: message.author.global_name ?? undefined,
    discord_mentions: message.mentions.map((user) => user.id),
    reply_to: message.message_reference?.message_id,
    ...(thread ? { discord_thread_id: thread.id, discord_thread_name: thread.name, discord_parent_id: thread.parentId } : {}),
    ...(files.skipped.length > 0 ? { attachments_skipped: files.skipped } : {}),
  };
  return {
    channel: 'discord',
    accountId: context.accountId,
    externalId: message.id,
    senderId: message.author.id,
    content: withoutBotMention(message.content, context.botUserId),
    ...(files.attachments.length > 0 ? { attachments: files.attachments } : {}),
    metadata: Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== undefined)),
    receivedAt: context.receivedAt,
  };
}
