import type { Session, SessionStore, TurnSessionRef } from '@nexus/plugin-sdk';
import type { MessagePipeline } from '../pipeline/index.js';

export interface SessionRefDeps {
  readonly pipeline: MessagePipeline;
  readonly sessions: () => Promise<SessionStore>;
  readonly defaultAgentId: string;
}

/**
 * The session a plugin's turn or system event goes to, created on first use (owned by `ownerId`
 * if given, else the system's). A key names its agent, channel and conversation
 * (`main:telegram:12345`), so a session can be made for it; a key of another form must exist.
 */
export async function resolveTurnSession(deps: SessionRefDeps, ref: TurnSessionRef, ownerId?: string): Promise<Session> {
  const options = ownerId !== undefined ? { ownerId } : {};
  if (typeof ref !== 'object' || ref === null) throw new TypeError('session must be {key} or {channel, conversationId, agentId?}');
  if ('key' in ref) {
    if (typeof ref.key !== 'string' || ref.key.trim() === '') throw new TypeError('session.key must be a non-empty string such as "main:telegram:12345"');
    const parts = splitKey(ref.key);
    if (!parts) return getExisting(await deps.sessions(), ref.key);
    return deps.pipeline.resolveSession(parts.agentId, parts.channel, parts.conversationId, options);
  }
  const { channel, conversationId } = ref;
  if (typeof channel !== 'string' || channel === '' || typeof conversationId !== 'string' || conversationId === '') {
    throw new TypeError('session needs a non-empty channel and conversationId (or a key)');
  }
  return deps.pipeline.resolveSession(ref.agentId ?? deps.defaultAgentId, channel, conversationId, options);
}

/** `agent:channel:conversation`; the conversation may itself hold colons (`thread:ts`). */
function splitKey(key: string): { agentId: string; channel: string; conversationId: string } | undefined {
  const first = key.indexOf(':');
  const second = first === -1 ? -1 : key.indexOf(':', first + 1);
  if (first <= 0 || second <= first + 1 || second === key.length - 1) return undefined;
  return { agentId: key.slice(0, first), channel: key.slice(first + 1, second), conversationId: key.slice(second + 1) };
}

async function getExisting(store: SessionStore, key: string): Promise<Session> {
  try {
    return await store.getByKey(key);
  } catch (error) {
    if ((error as { code?: string }).code !== 'not_found') throw error;
    throw new Error(`no session has the key "${key}", and one can be made only for a key of the form <agent>:<channel>:<conversation> (or pass {channel, conversationId})`, { cause: error });
  }
}
