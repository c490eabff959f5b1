import type { Message } from '../generated/nexus/v1/common.js';

/**
 * What `nexus chat` tells the user when a reply's turn found earlier messages that had got no
 * answer (their turns failed): whether they were sent along with this one or left out
 * (`agent.unanswered_messages`). Read from the stored reply's `unanswered` metadata.
 */
export function unansweredNote(reply: Message | undefined): string | undefined {
  const raw = reply?.metadata.unanswered;
  if (raw === undefined) return undefined;
  let parsed: { message_ids?: unknown; included?: unknown };
  try {
    parsed = JSON.parse(raw) as typeof parsed;
  } catch {
    return undefined;
  }
  const count = Array.isArray(parsed.message_ids) ? parsed.message_ids.length : 0;
  if (count === 0) return undefined;
  const which = count === 1 ? 'An earlier message of yours got no answer (its reply failed)' : `${count} earlier messages of yours got no answer (their replies failed)`;
  return parsed.included === true
    ? `(note: ${which}; ${count === 1 ? 'it was' : 'they were'} sent along with this one, marked as such, and this reply may answer ${count === 1 ? 'it' : 'them'} too)`
    : `(note: ${which}; ${count === 1 ? 'it was' : 'they were'} left out, as agent.unanswered_messages is drop: send ${count === 1 ? 'it' : 'them'} again if needed)`;
}
