import type { JsonSchema } from './tool.js';
import { createToken } from './tokens.js';

export type LlmRole = 'user' | 'assistant';

export interface LlmToolCall {
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
}

export type LlmContentPart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool_call'; readonly call: LlmToolCall }
  | { readonly type: 'tool_result'; readonly callId: string; readonly content: string; readonly isError?: boolean };

/** One message of the conversation; tool results travel in `user` messages, as both APIs expect. */
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

/** What a provider streams back for one request. A failure is thrown as a `ProviderError`. */
export type LlmStreamEvent =
  | { readonly type: 'text_delta'; readonly text: string }
  | { readonly type: 'tool_call'; readonly call: LlmToolCall }
  | { readonly type: 'usage'; readonly usage: LlmUsage }
  | { readonly type: 'done'; readonly stopReason: 'end_turn' | 'tool_use' | 'max_tokens' | 'other' };

/** Why a provider request failed, so retry and failover can decide what to do next. */
export const PROVIDER_FAILURE_REASONS = [
  'billing',
  'rate_limit',
  'auth',
  'timeout',
  'server_error',
  'invalid_request',
  'context_length',
  'model_unavailable',
  'content_filter',
  'network',
  'unknown',
] as const;

export type ProviderFailureReason = (typeof PROVIDER_FAILURE_REASONS)[number];

export interface ProviderErrorDetails {
  readonly reason: ProviderFailureReason;
  /** The configured provider id (`llm.providers.<id>`). */
  readonly provider: string;
  readonly model?: string;
  /** HTTP status, when there was a response. */
  readonly status?: number;
  /** The provider's own error type or code, e.g. `rate_limit_error`, `insufficient_quota`. */
  readonly code?: string;
  readonly message: string;
  readonly requestId?: string;
  /** Milliseconds the provider asked us to wait (`retry-after`), when it said. */
  readonly retryAfterMs?: number;
  readonly cause?: unknown;
}

const PROVIDER_ERROR_BRAND = Symbol.for('nexus.provider-error');

/**
 * A classified provider failure. Providers throw it from `stream`; the failover chain reads
 * `reason` to decide between retrying, trying the next candidate, or giving up.
 */
export class ProviderError extends Error implements ProviderErrorDetails {
  readonly reason: ProviderFailureReason;
  readonly provider: string;
  readonly model?: string;
  readonly status?: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly [PROVIDER_ERROR_BRAND] = true;

  constructor(details: ProviderErrorDetails) {
    super(details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ProviderError';
    this.reason = details.reason;
    this.provider = details.provider;
    this.model = details.model;
    this.status = details.status;
    this.code = details.code;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** `[rate_limit] openai model=gpt-4o status=429 code=rate_limit_exceeded: slow down (request req_1)` */
  override toString(): string {
    const parts = [`[${this.reason}] ${this.provider}`];
    if (this.model) parts.push(`model=${this.model}`);
    if (this.status !== undefined) parts.push(`status=${this.status}`);
    if (this.code) parts.push(`code=${this.code}`);
    return `${parts.join(' ')}: ${this.message}${this.requestId ? ` (request ${this.requestId})` : ''}`;
  }
}

/** Works across package copies (a plugin bundling its own SDK), unlike `instanceof`. */
export function isProviderError(error: unknown): error is ProviderError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[PROVIDER_ERROR_BRAND] === true;
}

/** Worth trying the same candidate again after a backoff. */
export function isRetryableReason(reason: ProviderFailureReason): boolean {
  return reason === 'rate_limit' || reason === 'timeout' || reason === 'server_error' || reason === 'network';
}

/** Retrying the same candidate cannot help, but another provider or model may. */
export function shouldFailoverReason(reason: ProviderFailureReason): boolean {
  return reason === 'auth' || reason === 'billing' || reason === 'model_unavailable';
}

/** One configured provider entry (`llm.providers.<id>`), with env fallbacks already applied. */
export interface LlmProviderEntry {
  /** The entry's id, e.g. `openai`, `local`. */
  readonly id: string;
  /** Which provider type serves it; the entry's `type`, defaulting to its id. */
  readonly type: string;
  readonly apiKey?: string;
  readonly baseUrl?: string;
  readonly defaultModel?: string;
}

/** A live client for one configured entry. */
export interface LlmProvider {
  readonly id: string;
  readonly defaultModel: string;
  /** Streams one model call. Throws (or yields then throws) a `ProviderError` on failure. */
  stream(request: LlmRequest, options: { readonly signal: AbortSignal; readonly timeoutMs?: number }): AsyncIterable<LlmStreamEvent>;
}

/**
 * A provider type (`anthropic`, `openai`). Contributed under its type name; the runtime calls
 * `create` once per config entry of that type, so several OpenAI-compatible endpoints can each
 * have their own id.
 */
export interface LlmProviderFactory {
  /** The env var holding an API key when the entry sets none, e.g. `OPENAI_API_KEY`. */
  readonly apiKeyEnv?: string;
  create(entry: LlmProviderEntry): LlmProvider;
}

export const LlmProviders = createToken<LlmProviderFactory>('nexus.contrib.providers');
