/** What is known about the conversation a session belongs to. */
export interface SessionPrivacyInput {
  readonly channel: string;
  /** The channel's own word for the chat, when the caller has it directly. */
  readonly chatType?: string;
  /** The inbound message's or session's metadata: `chat_type`, `chatType`, `is_group`… */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface PrivacyDecision {
  readonly private: boolean;
  readonly reason: string;
}

const PRIVATE_TYPES = new Set(['direct', 'dm', 'private', 'im', 'one_to_one', 'personal']);
const GROUP_TYPES = new Set(['group', 'supergroup', 'channel', 'thread', 'public', 'mpim', 'guild', 'forum', 'room', 'broadcast']);

/** Channels whose every session is one person talking to the agent: the gRPC API, a local console. */
const PRIVATE_CHANNELS = new Set(['api', 'cli', 'console']);

/**
 * Whether a session is private, which decides whether `MEMORY.md` (long-term memory about the
 * user) may be loaded, read or searched. Group chats never see it. When a chat platform does not
 * say what kind of chat this is, the answer is no: a missing field must not leak the file.
 */
export function decideSessionPrivacy(input: SessionPrivacyInput): PrivacyDecision {
  const metadata = input.metadata ?? {};
  if (metadata.is_group === true || metadata.isGroup === true) return { private: false, reason: `the ${input.channel} message is marked as from a group` };
  const declared = [input.chatType, metadata.chat_type, metadata.chatType, metadata.conversation_type].find((value): value is string => typeof value === 'string' && value !== '');
  if (declared !== undefined) {
    const type = declared.toLowerCase();
    if (PRIVATE_TYPES.has(type)) return { private: true, reason: `${input.channel} chat type "${declared}" is one-to-one` };
    if (GROUP_TYPES.has(type)) return { private: false, reason: `${input.channel} chat type "${declared}" is shared with others` };
    return { private: false, reason: `${input.channel} chat type "${declared}" is not known to be one-to-one` };
  }
  if (PRIVATE_CHANNELS.has(input.channel)) return { private: true, reason: `every ${input.channel} session is one-to-one` };
  return { private: false, reason: `${input.channel} did not say whether this chat is one-to-one (metadata.chat_type)` };
}
