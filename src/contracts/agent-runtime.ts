import type { Attachment } from './channel.js';
import type { LlmFailureReason, LlmToolCall, LlmUsage } from './llm-provider.js';
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
}

/** What a turn streams back. */
export type AgentEvent =
  | { readonly type: 'text_delta'; readonly text: string }
  | { readonly type: 'tool_call'; readonly call: LlmToolCall }
  | { readonly type: 'tool_result'; readonly callId: string; readonly content: string; readonly isError: boolean }
  | { readonly type: 'usage'; readonly usage: LlmUsage; readonly provider: string; readonly model: string }
  | { readonly type: 'done'; readonly text: string }
  | { readonly type: 'error'; readonly code: LlmFailureReason | 'cancelled' | 'max_iterations' | 'no_provider'; readonly message: string };

export interface AgentRuntime {
  run(turn: Turn, options: { readonly signal: AbortSignal }): AsyncIterable<AgentEvent>;
}

export const AgentRuntimeToken = createToken<AgentRuntime>('nexus.agent-runtime');
