import type { Message } from '../contracts/index.js';

/** What a heartbeat turn answers when nothing needs attention, unless its job names another token. */
export const HEARTBEAT_OK_TOKEN = 'HEARTBEAT_OK';

/**
 * Whether a heartbeat reply says only "nothing to report": the ok token, maybe with punctuation
 * or emphasis around it, or nothing at all.
 */
export function isHeartbeatAck(text: string, okToken: string = HEARTBEAT_OK_TOKEN): boolean {
  return text.split(okToken).join('').replace(/[\s*_`~.!:;,\-–—]/g, '') === '';
}

/**
 * `messages` without the heartbeat turns that found nothing: a user message marked
 * `metadata.heartbeat: true` whose turn (up to the next user message or event) ends in an
 * assistant reply that is only the ok token (`metadata.heartbeat_ok_token`, else
 * `HEARTBEAT_OK`). A heartbeat every 30 minutes would otherwise put some 50 such exchanges a day
 * into the conversation the model is sent, crowding out the real one, and models tend to answer
 * by the pattern. The store keeps them (history is append-only); heartbeats that reported
 * something stay, so the next one knows what was said.
 */
export function withoutHeartbeatAcks(messages: readonly Message[]): Message[] {
  const kept: Message[] = [];
  for (let start = 0; start < messages.length; start++) {
    const message = messages[start]!;
    if (message.role === 'user' && message.metadata.heartbeat === true) {
      let end = start + 1;
      while (end < messages.length && messages[end]!.role !== 'user' && messages[end]!.role !== 'event') end++;
      const last = messages[end - 1]!;
      const token = typeof message.metadata.heartbeat_ok_token === 'string' ? message.metadata.heartbeat_ok_token : HEARTBEAT_OK_TOKEN;
      if (end > start + 1 && last.role === 'assistant' && last.toolCalls.length === 0 && isHeartbeatAck(last.content, token)) {
        start = end - 1;
        continue;
      }
    }
    kept.push(message);
  }
  return kept;
}
