import { estimateTokens } from '../chunking/index.js';

/** What the estimate needs of a stored message. */
export interface CountedMessage {
  readonly role: string;
  readonly content: string;
  readonly toolCalls?: readonly unknown[];
  readonly toolResults?: readonly { readonly content: string }[];
}

/** Per-message framing (role, separators) that models count on top of the text. */
const MESSAGE_OVERHEAD_TOKENS = 4;

/** Tokens a session's prompt would take: the system prompt and every message, tool calls and results included. */
export function estimateSessionTokens(systemPrompt: string, messages: readonly CountedMessage[]): number {
  let total = estimateTokens(systemPrompt);
  for (const message of messages) total += estimateMessageTokens(message);
  return total;
}

export function estimateMessageTokens(message: CountedMessage): number {
  let tokens = MESSAGE_OVERHEAD_TOKENS + estimateTokens(message.content);
  if (message.toolCalls && message.toolCalls.length > 0) tokens += estimateTokens(JSON.stringify(message.toolCalls));
  for (const result of message.toolResults ?? []) tokens += estimateTokens(result.content);
  return tokens;
}

/**
 * Where the kept tail of a history starts when the rest is replaced by a summary: the newest
 * messages that fit in `keepTokens` (at least the last one), moved back so that the tail never
 * starts with tool results whose call would be summarised away. Returns an index into `messages`;
 * 0 means nothing is old enough to summarise.
 */
export function compactionSplit(messages: readonly CountedMessage[], keepTokens: number): number {
  if (messages.length <= 1) return 0;
  let start = messages.length - 1;
  let used = estimateMessageTokens(messages[start]!);
  while (start > 0 && used + estimateMessageTokens(messages[start - 1]!) <= keepTokens) {
    start--;
    used += estimateMessageTokens(messages[start]!);
  }
  while (start > 0 && messages[start]!.role === 'tool') start--;
  return start;
}
