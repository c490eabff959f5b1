import type { TurnService } from '@nexus/plugin-sdk';
import type { TurnPort } from '../server/index.js';

/** The channel name MCP turns are recorded under: sessions are `<agent>:mcp:<conversation>`. */
export const MCP_CHANNEL = 'mcp';

/**
 * `send_message` over the gateway's TurnService: the same pipeline as a chat message (one turn
 * at a time per session, hooks, limits). Without a session_key the turn runs in the caller's own
 * conversation for this MCP session; a `user`-role caller may only continue its own MCP
 * sessions, never another user's or a channel's, since the service itself acts as the system.
 */
export function turnPortOver(turns: () => Promise<TurnService>): TurnPort {
  return async (request) => {
    const userId = request.caller?.userId ?? 'operator';
    const ownPrefix = `${MCP_CHANNEL}:${encodeURIComponent(userId)}:`;
    if (request.sessionKey !== undefined && request.caller?.role === 'user' && !ownsKey(request.sessionKey, ownPrefix)) {
      throw new Error(`session ${request.sessionKey} is not one of yours; leave session_key out, or pass a session_key a send_message of yours returned`);
    }
    const session = request.sessionKey !== undefined ? { key: request.sessionKey } : { channel: MCP_CHANNEL, conversationId: `${encodeURIComponent(userId)}:${request.mcpSessionId ?? 'stdio'}` };
    const result = await (await turns()).run({
      session,
      message: request.text,
      ownerId: request.caller?.userId,
      metadata: { mcp: { session: request.mcpSessionId ?? 'stdio', user: userId } },
      onText: request.onText,
      signal: request.signal,
    });
    if (result.status === 'done') return { reply: result.text, sessionKey: result.sessionKey };
    throw new Error(`${result.code}: ${result.message}${result.transient ? ' (worth retrying later)' : ''}`);
  };
}

/** `<agent>:mcp:<user>:<mcp session>` belongs to `<user>`. */
function ownsKey(key: string, ownPrefix: string): boolean {
  const at = key.indexOf(':');
  return at > 0 && key.slice(at + 1).startsWith(ownPrefix);
}
