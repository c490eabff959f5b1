import type { Attachment } from './channel.js';
import type { LlmToolCall, LlmUsage, ProviderFailureReason } from './llm-provider.js';
import { createToken } from './tokens.js';

export interface Turn {
  readonly sessionId: string;
  readonly agentId: string;
  readonly channel: string;
  readonly content: string;
  readonly attachments?: readonly Attachment[];
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** Replaces the assembled system prompt for this turn only. */
  readonly systemPromptOverride?: string;
  /**
   * The inbound message is already stored in the session under this id (the gateway persists
   * before running the turn), so history must not repeat it.
   */
  readonly messageId?: string;
  /**
   * This turn's model (a plugin's turn that names one): `provider/model`, `provider/` (that
   * entry's default model) or a bare model of the default provider. Takes the place of the
   * session's stored agent's model; `turn.before` handlers still see it and may change it.
   */
  readonly model?: string;
  /** At most this many model calls in this turn's tool loop, instead of `agent.max_iterations`. */
  readonly maxIterations?: number;
}

export interface ProviderCandidate {
  readonly provider: string;
  readonly model: string;
}

/**
 * Why a turn ended without an answer. `unavailable`: the session store could not be read (the
 * database connection was lost, or another process held it locked); retrying later may succeed.
 */
export type TurnErrorCode = ProviderFailureReason | 'cancelled' | 'max_iterations' | 'no_provider' | 'unavailable' | 'internal';

/** What a turn streams back. */
export type AgentEvent =
  | { readonly type: 'text_delta'; readonly text: string }
  | { readonly type: 'tool_call'; readonly call: LlmToolCall }
  | { readonly type: 'tool_result'; readonly callId: string; readonly name: string; readonly content: string; readonly isError: boolean }
  | { readonly type: 'usage'; readonly usage: LlmUsage; readonly provider: string; readonly model: string }
  /**
   * Earlier messages of the session got no answer (their turns failed): their ids, and whether
   * the model is sent them this turn (`agent.unanswered_messages`). Comes before the first
   * `attempt`, and only when there are some.
   */
  | { readonly type: 'unanswered'; readonly messageIds: readonly string[]; readonly included: boolean }
  /** A model call is about to be made (the first, a retry, or after failover). */
  | { readonly type: 'attempt'; readonly candidate: ProviderCandidate; readonly attempt: number; readonly iteration: number }
  /** A call failed and will be retried, or the chain moves to the next candidate. Not an error. */
  | {
      readonly type: 'failover';
      readonly from: ProviderCandidate;
      readonly to?: ProviderCandidate;
      readonly reason: ProviderFailureReason;
      readonly message: string;
      readonly retryInMs?: number;
    }
  /**
   * The turn ended with an answer: the text of the model's last response. Text streamed before a
   * tool call ("let me check…") reached the reader as deltas but is not repeated here.
   */
  | { readonly type: 'done'; readonly text: string }
  /** The turn ended in failure. The only event that means the user gets no (complete) answer. */
  | { readonly type: 'error'; readonly code: TurnErrorCode; readonly message: string; readonly partial: boolean };

export interface AgentRuntime {
  run(turn: Turn, options: { readonly signal: AbortSignal }): AsyncIterable<AgentEvent>;
}

export const AgentRuntimeToken = createToken<AgentRuntime>('nexus.agent-runtime');
