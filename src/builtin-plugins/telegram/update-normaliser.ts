import type { Message, MessageEntity, PhotoSize, Update } from 'grammy/types';
import type { BotIdentity } from './account-activity.js';

export type TelegramChatType = 'private' | 'group' | 'supergroup' | 'channel';

/** A file a message carries, to fetch with getFile within the size limit. */
export interface AttachmentRef {
  readonly kind: 'photo' | 'document' | 'audio' | 'voice' | 'video' | 'video_note' | 'animation' | 'sticker';
  readonly fileId: string;
  /** As Telegram reported it; absent for some files, which are then measured while downloading. */
  readonly fileSize?: number;
  readonly mimeType: string;
  readonly name?: string;
}

/** One update, read: everything an `InboundMessage` needs except the downloaded files. */
export interface NormalisedMessage {
  readonly updateId: number;
  readonly chatId: number;
  readonly chatType: TelegramChatType;
  readonly messageId: number;
  /** The forum topic, when the chat is a forum and the message is in a topic other than General. */
  readonly topicId?: number;
  readonly senderId: string;
  /** Addressed to the bot: a DM, an @mention, a text mention, a /command@bot, or a reply to the bot. */
  readonly mentioned: boolean;
  readonly content: string;
  readonly attachments: readonly AttachmentRef[];
  /** `<account>:<chat>` or `<account>:<chat>:topic:<id>`: the session scope. */
  readonly conversationId: string;
  /** Unique per bot: `<chat>:<message>`. */
  readonly externalId: string;
  readonly metadata: Readonly<Record<string, unknown>>;
}

export type NormaliseResult = { readonly message: NormalisedMessage } | { readonly ignored: string };

/** The session scope of a chat, and of a forum topic within it. */
export function conversationIdOf(accountId: string, chatId: number | string, topicId?: number): string {
  return topicId === undefined ? `${accountId}:${chatId}` : `${accountId}:${chatId}:topic:${topicId}`;
}

export function normaliseUpdate(update: Update, context: { readonly accountId: string; readonly bot: BotIdentity; readonly maxAttachmentBytes: number }): NormaliseResult {
  const message = update.message ?? update.channel_post;
  if (!message) return { ignored: `update ${update.update_id} carries no message (${Object.keys(update).filter((k) => k !== 'update_id').join(', ') || 'empty'})` };
  const chat = message.chat;
  const text = message.text ?? message.caption ?? '';
  const attachments = attachmentsOf(message, context.maxAttachmentBytes);
  if (text.trim() === '' && attachments.length === 0) return { ignored: `message ${chat.id}:${message.message_id} has no text or file (a service message)` };
  const sender = message.from ?? message.sender_chat;
  if (!sender) return { ignored: `message ${chat.id}:${message.message_id} has no sender` };
  const topicId = 'is_forum' in chat && chat.is_forum && message.is_topic_message ? message.message_thread_id : undefined;
  const mentioned = chat.type === 'private' || mentionsBot(message, context.bot);
  const reply = message.reply_to_message;
  const conversationId = conversationIdOf(context.accountId, chat.id, topicId);
  const senderName = 'first_name' in sender ? [sender.first_name, sender.last_name].filter(Boolean).join(' ') : 'title' in sender ? sender.title : undefined;
  return {
    message: {
      updateId: update.update_id,
      chatId: chat.id,
      chatType: chat.type,
      messageId: message.message_id,
      ...(topicId !== undefined ? { topicId } : {}),
      senderId: String(sender.id),
      mentioned,
      content: text,
      attachments,
      conversationId,
      externalId: `${chat.id}:${message.message_id}`,
      metadata: {
        conversation_id: conversationId,
        chat_id: chat.id,
        chat_type: chat.type,
        // What the channel kit's access gate reads: a DM, or the group (a forum's topics share their chat's policy).
        is_dm: chat.type === 'private',
        ...(chat.type === 'private' ? {} : { group_id: String(chat.id) }),
        ...('title' in chat && chat.title ? { chat_title: chat.title } : {}),
        message_id: message.message_id,
        update_id: update.update_id,
        ...(topicId !== undefined ? { topic_id: topicId } : {}),
        ...(message.message_thread_id !== undefined ? { message_thread_id: message.message_thread_id } : {}),
        ...(reply ? { reply_to_message_id: reply.message_id, reply_to_bot: reply.from?.id === context.bot.id } : {}),
        mentioned,
        ...('username' in sender && sender.username ? { sender_username: sender.username } : {}),
        ...(senderName ? { sender_name: senderName } : {}),
        sender_is_bot: 'is_bot' in sender ? sender.is_bot : false,
        ...(message.media_group_id ? { media_group_id: message.media_group_id } : {}),
      },
    },
  };
}

function mentionsBot(message: Message, bot: BotIdentity): boolean {
  if (message.reply_to_message?.from?.id === bot.id) return true;
  const text = message.text ?? message.caption ?? '';
  const entities: readonly MessageEntity[] = message.entities ?? message.caption_entities ?? [];
  const handle = `@${bot.username}`.toLowerCase();
  return entities.some((entity) => {
    // Offsets are UTF-16 code units, which is what String.slice counts.
    const part = text.slice(entity.offset, entity.offset + entity.length).toLowerCase();
    if (entity.type === 'mention') return part === handle;
    if (entity.type === 'text_mention') return entity.user.id === bot.id;
    if (entity.type === 'bot_command') return part.endsWith(handle);
    return false;
  });
}

function attachmentsOf(message: Message, maxBytes: number): AttachmentRef[] {
  const refs: AttachmentRef[] = [];
  const size = (n: number | undefined) => (n === undefined ? {} : { fileSize: n });
  const named = (name: string | undefined) => (name ? { name } : {});
  if (message.photo && message.photo.length > 0) {
    const photo = bestPhoto(message.photo, maxBytes);
    refs.push({ kind: 'photo', fileId: photo.file_id, ...size(photo.file_size), mimeType: 'image/jpeg', name: `photo-${message.message_id}.jpg` });
  }
  const d = message.document;
  if (d) refs.push({ kind: 'document', fileId: d.file_id, ...size(d.file_size), mimeType: d.mime_type ?? 'application/octet-stream', ...named(d.file_name) });
  const a = message.audio;
  if (a) refs.push({ kind: 'audio', fileId: a.file_id, ...size(a.file_size), mimeType: a.mime_type ?? 'audio/mpeg', ...named(a.file_name) });
  const v = message.voice;
  if (v) refs.push({ kind: 'voice', fileId: v.file_id, ...size(v.file_size), mimeType: v.mime_type ?? 'audio/ogg', name: `voice-${message.message_id}.ogg` });
  const video = message.video;
  if (video) refs.push({ kind: 'video', fileId: video.file_id, ...size(video.file_size), mimeType: video.mime_type ?? 'video/mp4', ...named(video.file_name) });
  const note = message.video_note;
  if (note) refs.push({ kind: 'video_note', fileId: note.file_id, ...size(note.file_size), mimeType: 'video/mp4', name: `video-note-${message.message_id}.mp4` });
  const animation = message.animation;
  // An animation message also carries the same file as `document`; keep one.
  if (animation && !d) refs.push({ kind: 'animation', fileId: animation.file_id, ...size(animation.file_size), mimeType: animation.mime_type ?? 'video/mp4', ...named(animation.file_name) });
  const sticker = message.sticker;
  if (sticker) refs.push({ kind: 'sticker', fileId: sticker.file_id, ...size(sticker.file_size), mimeType: sticker.is_animated ? 'application/x-tgsticker' : sticker.is_video ? 'video/webm' : 'image/webp' });
  return refs;
}

/**
 * The largest size known to fit the limit; else the largest of unknown size (measured while
 * downloading); else the smallest, which is then reported as too large.
 */
function bestPhoto(sizes: readonly PhotoSize[], maxBytes: number): PhotoSize {
  const bySize = [...sizes].sort((a, b) => a.width * a.height - b.width * b.height);
  return bySize.filter((s) => s.file_size !== undefined && s.file_size <= maxBytes).at(-1) ?? bySize.filter((s) => s.file_size === undefined).at(-1) ?? bySize[0]!;
}
