import { escapeTelegramHtml } from '@nexus/plugin-sdk/channel';
import type { InboundMessage } from '@nexus/plugin-sdk';
import { parseTarget } from './chat-target.js';
import type { MessagePoster } from './message-poster.js';

/**
 * Answers an unknown DM sender with the channel kit's pairing text (`ChannelAccessGate`), in
 * reply to their message, with the code in monospace so it copies with a tap.
 */
export async function postPairingCode(poster: MessagePoster, accountId: string, message: InboundMessage, text: string, code: string): Promise<void> {
  const meta = message.metadata ?? {};
  const target = parseTarget(String(meta.conversation_id), accountId);
  const quoted = escapeTelegramHtml(code);
  const html = escapeTelegramHtml(text).replaceAll(quoted, `<code>${quoted}</code>`);
  await poster.post(target, html, typeof meta.message_id === 'number' ? { replyTo: meta.message_id } : {});
}

/** How `nexus channels pair list` names a Telegram sender: their name, else their @username. */
export function telegramSenderName(message: InboundMessage): string | undefined {
  const meta = message.metadata ?? {};
  return typeof meta.sender_name === 'string' ? meta.sender_name : typeof meta.sender_username === 'string' ? `@${meta.sender_username}` : undefined;
}
