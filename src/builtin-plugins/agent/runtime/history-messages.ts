import type { LlmContentPart, LlmMessage, Message } from '../../../contracts/index.js';

/**
 * Turns stored session messages into the conversation the model sees. Both provider APIs
 * reject a tool result whose call is not in the assistant message right before it, and a call
 * left without a result; history cut at `history_limit` can leave either at its edges, so
 * unmatched halves are dropped rather than failing every later turn of the session.
 */
export function historyToLlmMessages(history: readonly Message[]): LlmMessage[] {
  const raw: LlmMessage[] = [];
  for (const message of history) raw.push(...expand(message));
  return pairToolCalls(mergeSameRole(raw));
}

/**
 * The conversation for a turn: the history, then the current message, exactly once. A turn
 * whose previous one got no answer follows a user message; the two are sent as one.
 */
export function conversationFor(history: readonly Message[], current: LlmMessage): LlmMessage[] {
  return mergeSameRole([...historyToLlmMessages(history), current]);
}

/** One stored message can hold a whole exchange: the calls, their results, then the answer. */
function expand(message: Message): LlmMessage[] {
  const text: LlmContentPart[] = message.content.trim() === '' ? [] : [{ type: 'text', text: message.content }];
  const results: LlmContentPart[] = message.toolResults.map((r) => ({ type: 'tool_result', callId: r.callId, content: r.content, isError: r.isError === true }));
  switch (message.role) {
    case 'user':
      return [{ role: 'user', content: [...results, ...text] }];
    case 'tool':
      return [{ role: 'user', content: results.length > 0 ? results : text }];
    case 'assistant': {
      const calls: LlmContentPart[] = message.toolCalls.map((call) => ({ type: 'tool_call', call }));
      if (calls.length === 0) return [{ role: 'assistant', content: [...text, ...results] }];
      if (results.length === 0) return [{ role: 'assistant', content: [...text, ...calls] }];
      return [
        { role: 'assistant', content: calls },
        { role: 'user', content: results },
        { role: 'assistant', content: text },
      ];
    }
    default:
      // System notes are operator-side records; the system prompt is the model's only system text.
      return [];
  }
}

function mergeSameRole(messages: readonly LlmMessage[]): LlmMessage[] {
  const merged: LlmMessage[] = [];
  for (const message of messages) {
    if (message.content.length === 0) continue;
    const last = merged[merged.length - 1];
    if (last && last.role === message.role) merged[merged.length - 1] = { role: last.role, content: [...last.content, ...message.content] };
    else merged.push(message);
  }
  return merged;
}

function pairToolCalls(messages: readonly LlmMessage[]): LlmMessage[] {
  const kept: LlmMessage[] = [];
  messages.forEach((message, index) => {
    let content = message.content;
    if (message.role === 'assistant') {
      const answered = resultIds(messages[index + 1]);
      content = content.filter((part) => part.type !== 'tool_call' || answered.has(part.call.id));
    } else {
      const asked = callIds(messages[index - 1]);
      content = content.filter((part) => part.type !== 'tool_result' || asked.has(part.callId));
    }
    if (content.length > 0) kept.push({ role: message.role, content });
  });
  // Dropping parts can leave two messages of one role side by side, and the conversation must open with the user.
  const merged = mergeSameRole(kept);
  while (merged[0]?.role === 'assistant') merged.shift();
  return merged;
}

function resultIds(message: LlmMessage | undefined): Set<string> {
  return new Set(message?.role === 'user' ? message.content.flatMap((p) => (p.type === 'tool_result' ? [p.callId] : [])) : []);
}

function callIds(message: LlmMessage | undefined): Set<string> {
  return new Set(message?.role === 'assistant' ? message.content.flatMap((p) => (p.type === 'tool_call' ? [p.call.id] : [])) : []);
}
