import type { LlmContentPart, LlmMessage, Message } from '@nexus/plugin-sdk';
import { splitUnanswered, unansweredNote } from './unanswered-messages.js';

/**
 * Turns stored session messages into the conversation the model sees. Both provider APIs
 * reject a tool result whose call is not in the assistant message right before it, and a call
 * left without a result; history cut at `history_limit` can leave either at its edges, so
 * unmatched halves are dropped rather than failing every later turn of the session.
 *
 * Every turn converts its whole history (50 messages by default), so the common case (text
 * only, no tool parts) takes one pass that allocates only the converted messages, and skips
 * the pairing pass, which has nothing to pair.
 */
export function historyToLlmMessages(history: readonly Message[], notes?: ReadonlyMap<Message, LlmContentPart>): LlmMessage[] {
  const raw: LlmMessage[] = [];
  let toolParts = false;
  for (const message of history) {
    const note = notes?.get(message);
    if (note) pushMerged(raw, { role: 'user', content: message.content.trim() === '' ? [note] : [note, { type: 'text', text: message.content }] });
    else if (message.toolCalls.length === 0 && message.toolResults.length === 0) appendText(message, raw);
    else {
      toolParts = true;
      expand(message, raw);
    }
  }
  // Only tool parts can be left unmatched; a text-only history needs just its opening fixed.
  return toolParts ? pairToolCalls(raw) : opensWithUser(raw);
}

/** The conversation for a turn, and the earlier messages it found unanswered. */
export interface Conversation {
  readonly messages: LlmMessage[];
  /** Ids of earlier user messages that got no answer (their turns failed), oldest first. */
  readonly unanswered: readonly string[];
}

/**
 * The conversation for a turn: the history, then the current message, exactly once. User
 * messages that got no answer are never run together with the message after them: with
 * `include` each run of them becomes one marked note in front of the next user message (the
 * current one, for the latest), with `drop` they are left out.
 */
export function conversationFor(history: readonly Message[], current: LlmMessage, unanswered: 'include' | 'drop' = 'include'): Conversation {
  const split = splitUnanswered(history);
  if (split.ids.length === 0 || unanswered === 'drop') {
    const messages = historyToLlmMessages(split.kept);
    pushMerged(messages, current);
    return { messages, unanswered: split.ids };
  }
  const notes = new Map<Message, LlmContentPart>();
  for (const [anchor, group] of split.before) notes.set(anchor, unansweredNote(group));
  const messages = historyToLlmMessages(split.kept, notes);
  pushMerged(messages, split.beforeCurrent.length === 0 ? current : { role: 'user', content: [unansweredNote(split.beforeCurrent), ...current.content] });
  return { messages, unanswered: split.ids };
}

/** A message without tool parts, the common case: one text part, or nothing when it is blank. */
function appendText(message: Message, into: LlmMessage[]): void {
  if (message.role === 'system' || message.content.trim() === '') return;
  if (message.role === 'event') {
    pushMerged(into, { role: 'user', content: [systemEventNote(message)] });
    return;
  }
  const role = message.role === 'tool' ? 'user' : message.role;
  pushMerged(into, { role, content: [{ type: 'text', text: message.content }] });
}

/**
 * A system event (cron's `system_event`, a plugin's `appendSystemEvent`) as the model sees it: a
 * marked note on the user's side, so it is not taken for something the user said.
 */
function systemEventNote(message: Message): LlmContentPart {
  return { type: 'text', text: `[System event at ${new Date(message.createdAt).toISOString()}, not a message from the user]\n${message.content}` };
}

/** One stored message can hold a whole exchange: the calls, their results, then the answer. Pushed merged into `into`. */
function expand(message: Message, into: LlmMessage[]): void {
  const text: LlmContentPart[] = message.content.trim() === '' ? [] : [{ type: 'text', text: message.content }];
  const results: LlmContentPart[] =
    message.toolResults.length === 0 ? [] : message.toolResults.map((r) => ({ type: 'tool_result', callId: r.callId, content: r.content, isError: r.isError === true }));
  switch (message.role) {
    case 'user':
      pushMerged(into, { role: 'user', content: results.length === 0 ? text : [...results, ...text] });
      return;
    case 'tool':
      pushMerged(into, { role: 'user', content: results.length > 0 ? results : text });
      return;
    case 'assistant': {
      if (message.toolCalls.length === 0) {
        pushMerged(into, { role: 'assistant', content: results.length === 0 ? text : [...text, ...results] });
        return;
      }
      const calls: LlmContentPart[] = message.toolCalls.map((call) => ({ type: 'tool_call', call }));
      if (results.length === 0) {
        pushMerged(into, { role: 'assistant', content: [...text, ...calls] });
        return;
      }
      pushMerged(into, { role: 'assistant', content: calls });
      pushMerged(into, { role: 'user', content: results });
      pushMerged(into, { role: 'assistant', content: text });
      return;
    }
    default:
      // System notes are operator-side records; the system prompt is the model's only system text.
      return;
  }
}

/** Appends `message` to `messages`, joined to the last one when both have its role; empty ones are left out. */
function pushMerged(messages: LlmMessage[], message: LlmMessage): void {
  if (message.content.length === 0) return;
  const last = messages[messages.length - 1];
  if (last && last.role === message.role) messages[messages.length - 1] = { role: last.role, content: [...last.content, ...message.content] };
  else messages.push(message);
}

function pairToolCalls(messages: readonly LlmMessage[]): LlmMessage[] {
  const kept: LlmMessage[] = [];
  messages.forEach((message, index) => {
    let content = message.content;
    if (message.role === 'assistant') {
      if (content.some((part) => part.type === 'tool_call')) {
        const answered = resultIds(messages[index + 1]);
        content = content.filter((part) => part.type !== 'tool_call' || answered.has(part.call.id));
      }
    } else if (content.some((part) => part.type === 'tool_result')) {
      const asked = callIds(messages[index - 1]);
      content = content.filter((part) => part.type !== 'tool_result' || asked.has(part.callId));
    }
    // Dropping parts can leave two messages of one role side by side: they are joined again.
    pushMerged(kept, content === message.content ? message : { role: message.role, content });
  });
  return opensWithUser(kept);
}

/** The conversation must open with the user: assistant messages before the first user one are dropped. */
function opensWithUser(messages: LlmMessage[]): LlmMessage[] {
  let first = 0;
  while (messages[first]?.role === 'assistant') first++;
  return first === 0 ? messages : messages.slice(first);
}

function resultIds(message: LlmMessage | undefined): Set<string> {
  return new Set(message?.role === 'user' ? message.content.flatMap((p) => (p.type === 'tool_result' ? [p.callId] : [])) : []);
}

function callIds(message: LlmMessage | undefined): Set<string> {
  return new Set(message?.role === 'assistant' ? message.content.flatMap((p) => (p.type === 'tool_call' ? [p.call.id] : [])) : []);
}
