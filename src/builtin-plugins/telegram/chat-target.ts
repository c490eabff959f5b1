/** Where a message goes: a chat, and within a forum a topic. */
export interface ChatTarget {
  /** A numeric chat id, or "@channelusername" for public channels. */
  readonly chatId: number | string;
  readonly topicId?: number;
}

/** A target that names no Telegram chat this account can post to. */
export class TargetError extends Error {
  readonly code = 'bad_target';
  constructor(target: string, accountId: string) {
    super(`"${target}" is not a Telegram target for account ${accountId}: use a chat id (123456789, -1001234567890), "@channelname", or the session's "${accountId}:<chat id>[:topic:<id>]"`);
    this.name = 'TargetError';
  }
}

const TARGET = /^(?:(?<account>[^:]+):)?(?<chat>-?\d{1,20}|@[A-Za-z]\w{3,31})(?::topic:(?<topic>\d{1,12}))?$/;

/**
 * Reads a target: the conversation id the gateway uses (`<account>:<chat>[:topic:<id>]`, see
 * `conversationIdOf`), or a bare chat id or @channel as an operator types it for
 * `nexus channels test --to`. A target scoped to another account is refused.
 */
export function parseTarget(target: string, accountId: string): ChatTarget {
  const match = TARGET.exec(target.trim());
  if (!match?.groups || (match.groups.account !== undefined && match.groups.account !== accountId)) throw new TargetError(target, accountId);
  const { chat, topic } = match.groups;
  return { chatId: chat!.startsWith('@') ? chat! : Number(chat), ...(topic !== undefined ? { topicId: Number(topic) } : {}) };
}
