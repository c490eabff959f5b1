import type { PromptContext, Turn } from '@nexus/plugin-sdk';
import { isHeartbeatMessage } from './heartbeat-message.js';

/**
 * What the prompt sections see for a turn; `nexus prompt` builds the same from its flags. The
 * signal is read from `cancellation` only when a section asks for it, so a turn whose sections
 * never look makes none.
 */
export function promptContextFor(
  turn: Pick<Turn, 'sessionId' | 'agentId' | 'channel' | 'content' | 'metadata'>,
  cancellation: AbortSignal | { readonly signal: AbortSignal },
): PromptContext {
  const metadata = turn.metadata ?? {};
  return {
    sessionId: turn.sessionId,
    agentId: turn.agentId,
    channel: turn.channel,
    message: turn.content,
    metadata,
    heartbeat: isHeartbeatMessage(turn.content, metadata),
    get signal() {
      return cancellation instanceof AbortSignal ? cancellation : cancellation.signal;
    },
  };
}
