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

/** What a provider knows about a failure, for `classifyProviderFailure`. */
export interface ProviderFailureSignals {
  /** HTTP status, when there was a response. */
  readonly status?: number;
  /** The provider's error code or type (`insufficient_quota`, `overloaded_error`, `invalid_request_error`). */
  readonly code?: string;
  /** A second code, when the body has both (OpenAI's `error.type` beside `error.code`). */
  readonly type?: string;
  /** The error text. */
  readonly message?: string;
}

// Codes that say more than the status they come with: OpenAI sends `insufficient_quota` as a
// 429, yet waiting will not refill the account; a context overflow is a 400 that a retry cannot fix.
const SPECIFIC_CODES: Readonly<Record<string, ProviderFailureReason>> = {
  context_length_exceeded: 'context_length',
  insufficient_quota: 'billing',
  billing_error: 'billing',
  billing_hard_limit_reached: 'billing',
  rate_limit_error: 'rate_limit',
  rate_limit_exceeded: 'rate_limit',
  authentication_error: 'auth',
  invalid_api_key: 'auth',
  permission_error: 'auth',
  model_not_found: 'model_unavailable',
  model_not_available: 'model_unavailable',
  content_filter: 'content_filter',
  content_policy_violation: 'content_filter',
  overloaded_error: 'server_error',
  timeout_error: 'timeout',
};

// Broad categories that only decide when there is no status: an error event inside a 200 stream.
const GENERIC_CODES: Readonly<Record<string, ProviderFailureReason>> = {
  invalid_request_error: 'invalid_request',
  server_error: 'server_error',
  api_error: 'server_error',
  internal_error: 'server_error',
  not_found_error: 'model_unavailable',
};

// Words that identify a context overflow whatever code it came with (Anthropic says
// `prompt is too long` in a plain invalid_request_error).
const CONTEXT_LENGTH_TEXT = /prompt is too long|context_length_exceeded|maximum context length|context window|too many tokens/;

// Checked in order, first match wins. Server errors come before model_unavailable so that
// "service unavailable" is a retryable server error (the Go original called it model_unavailable).
const TEXT_PATTERNS: readonly (readonly [RegExp, ProviderFailureReason])[] = [
  [/timed? ?out|deadline exceeded|etimedout/, 'timeout'],
  [/rate.?limit|too many requests|\b429\b/, 'rate_limit'],
  [/unauthori[sz]ed|invalid.?api.?key|authentication|forbidden|\b40[13]\b/, 'auth'],
  [/billing|payment|quota|insufficient.?(funds|credit|balance)|\b402\b/, 'billing'],
  [/content.?filter|content policy|safety system/, 'content_filter'],
  [/econnrefused|econnreset|enotfound|eai_again|socket hang up|fetch failed|network|connection (error|refused|reset|closed)/, 'network'],
  [/internal server|server error|service unavailable|temporarily unavailable|overloaded|bad gateway|\b50[0-4]\b|\b529\b/, 'server_error'],
  [/model.{0,80}(not found|does not exist|unavailable|not available)|model_not_found|no such model/, 'model_unavailable'],
];

function reasonFromStatus(status: number): ProviderFailureReason | undefined {
  if (status === 401 || status === 403) return 'auth';
  if (status === 402) return 'billing';
  if (status === 404) return 'model_unavailable';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limit';
  if (status === 400 || status === 413 || status === 422) return 'invalid_request';
  if (status >= 500) return 'server_error';
  return undefined;
}

/**
 * Classifies a provider failure. Precedence: a context overflow named anywhere; then a code that
 * says more than its status (`insufficient_quota` on a 429 is billing); then the status; then a
 * broad category (`invalid_request_error`, `api_error`); then the error text. Providers call this so that every
 * provider, built-in or third-party, means the same thing by a reason.
 */
export function classifyProviderFailure(signals: ProviderFailureSignals): ProviderFailureReason {
  const codes = [signals.code, signals.type].filter((c): c is string => typeof c === 'string' && c !== '').map((c) => c.toLowerCase());
  const text = (signals.message ?? '').toLowerCase();
  if (codes.some((c) => SPECIFIC_CODES[c] === 'context_length') || CONTEXT_LENGTH_TEXT.test(text)) return 'context_length';
  for (const code of codes) {
    const reason = SPECIFIC_CODES[code];
    if (reason !== undefined) return reason;
  }
  const fromStatus = signals.status === undefined ? undefined : reasonFromStatus(signals.status);
  if (fromStatus !== undefined) return fromStatus;
  for (const code of codes) {
    const reason = GENERIC_CODES[code];
    if (reason !== undefined) return reason;
  }
  for (const [pattern, reason] of TEXT_PATTERNS) if (pattern.test(text)) return reason;
  return 'unknown';
}

/**
 * How long the provider asked us to wait, from `retry-after-ms` (OpenAI) or `retry-after`
 * (seconds or an HTTP date). Undefined when neither header is there or parses.
 */
export function retryAfterMsFromHeaders(header: (name: string) => string | null | undefined, now: number = Date.now()): number | undefined {
  const ms = Number.parseFloat(header('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const raw = header('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number.parseFloat(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
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
  /** The model an entry of this type uses when it sets no `default_model`. */
  readonly defaultModel?: string;
  create(entry: LlmProviderEntry): LlmProvider;
}

export const LlmProviders = createToken<LlmProviderFactory>('nexus.contrib.providers');
