import type { LlmMessage, Turn } from '@nexus/plugin-sdk';

/**
 * The turn's own message as the model sees it. Attachments cannot travel as content parts yet,
 * so the model is at least told what was attached instead of silently missing it.
 */
export function currentMessage(turn: Pick<Turn, 'content' | 'attachments'>): LlmMessage {
  const notes = (turn.attachments ?? []).map((a) => `[attachment: ${a.name ?? 'unnamed'} (${a.mimeType})]`);
  const text = [turn.content, ...notes].filter((part) => part.trim() !== '').join('\n');
  // Both provider APIs reject an empty text block; an empty message is still a message.
  return { role: 'user', content: [{ type: 'text', text: text === '' ? '(empty message)' : text }] };
}
