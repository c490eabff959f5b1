import type { LlmContentPart, Message } from '@nexus/plugin-sdk';

/**
 * A session's history with the user messages that got no answer taken out. A user message got
 * none when no assistant message follows it before the next user message: its turn failed (the
 * gateway stores it first, and marks the failure with a `system` record), or the process died
 * mid-turn. Sent as they are, they would sit next to the following user message, and the
 * providers would read the run as one message (`hello\n\nhello\n\nhello`).
 */
export interface UnansweredSplit {
  /** The history without the unanswered messages. */
  readonly kept: readonly Message[];
  /** Unanswered messages, by the user message (in `kept`) they came before, in order. */
  readonly before: ReadonlyMap<Message, readonly Message[]>;
  /** Unanswered messages at the end of the history: they came before the turn's own message. */
  readonly beforeCurrent: readonly Message[];
  /** The ids of every unanswered message, oldest first. */
  readonly ids: readonly string[];
}

const NONE: ReadonlyMap<Message, readonly Message[]> = new Map();

export function splitUnanswered(history: readonly Message[]): UnansweredSplit {
  // Backwards: is the next message that asks or answers, after this one, a user message? The
  // turn's own message follows the last one, so at the end it is.
  let unanswered: Set<Message> | undefined;
  let nextIsUser = true;
  for (let i = history.length - 1; i >= 0; i--) {
    const message = history[i]!;
    if (message.role === 'assistant') nextIsUser = false;
    else if (isUserText(message)) {
      if (nextIsUser) (unanswered ??= new Set()).add(message);
      nextIsUser = true;
    }
  }
  // The common case, every message answered, costs one pass and no copies.
  if (!unanswered) return { kept: history, before: NONE, beforeCurrent: [], ids: [] };
  // Forwards: each run of unanswered messages goes with the next user message that was answered.
  const kept: Message[] = [];
  const before = new Map<Message, readonly Message[]>();
  let pending: Message[] = [];
  for (const message of history) {
    if (unanswered.has(message)) {
      pending.push(message);
      continue;
    }
    if (isUserText(message) && pending.length > 0) {
      before.set(message, pending);
      pending = [];
    }
    kept.push(message);
  }
  return { kept, before, beforeCurrent: pending, ids: history.filter((m) => unanswered.has(m)).map((m) => m.id) };
}

/**
 * The unanswered messages as one clearly marked note, a text part of its own before the message
 * that followed them: the model sees each of them once, quoted, and knows they were not answered.
 */
export function unansweredNote(messages: readonly Message[]): LlmContentPart {
  const quoted = messages.map((m) => {
    const attached = m.attachments.map((a) => `[attachment: ${a.name ?? 'unnamed'} (${a.mimeType})]`);
    return [m.content, ...attached]
      .filter((part) => part.trim() !== '')
      .join('\n')
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n');
  });
  const count = messages.length === 1 ? 'An earlier message' : `${messages.length} earlier messages`;
  return {
    type: 'text',
    text: `[${count} in this conversation got no answer: the reply to ${messages.length === 1 ? 'it' : 'them'} failed or was cut short. ${messages.length === 1 ? 'It is' : 'They are'} included once here, oldest first; the message to answer now follows.]\n\n${quoted.join('\n\n')}`,
  };
}

function isUserText(message: Message): boolean {
  return message.role === 'user' && message.toolResults.length === 0;
}
