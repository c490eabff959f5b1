import type { JsonSchema } from './tool.js';
import { createToken } from './tokens.js';

export type LlmRole = 'user' | 'assistant' | 'tool';

export interface LlmToolCall {
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
}

export type LlmContentPart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool_call'; readonly call: LlmToolCall }
  | { readonly type: 'tool_result'; readonly callId: string; readonly content: string; readonly isError?: boolean };

export interface LlmMessage {
  readonly role: LlmRole;
  readonly content: readonly LlmContentPart[];
}

export interface LlmToolSpec {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
}

export interface LlmRequest {
  readonly model: string;
  readonly system?: string;
  readonly messages: readonly LlmMessage[];
  readonly tools?: readonly LlmToolSpec[];
  readonly maxTokens?: number;
}

export interface LlmUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** What a provider streams back for one request. */
export type LlmStreamEvent =
  | { readonly type: 'text_delta'; readonly text: string }
  | { readonly type: 'tool_call'; readonly call: LlmToolCall }
  | { readonly type: 'usage'; readonly usage: LlmUsage }
  | { readonly type: 'done'; readonly stopReason: 'end_turn' | 'tool_use' | 'max_tokens' | 'other' };

/** Why a provider request failed, so failover can decide what to do next. */
export type LlmFailureReason =
  | 'auth'
  | 'billing'
  | 'rate_limit'
  | 'timeout'
  | 'overloaded'
  | 'context_length'
  | 'invalid_request'
  | 'server_error'
  | 'network'
  | 'unknown';

/** An LLM backend. One is bound per configured provider id (`llm.providers.<id>`). */
export interface LlmProvider {
  readonly id: string;
  stream(request: LlmRequest, options: { readonly signal: AbortSignal }): AsyncIterable<LlmStreamEvent>;
}

export const LlmProviders = createToken<LlmProvider>('nexus.contrib.providers');
