import type { Cancellation } from './cancellation.js';
import type { AgentEvent, HookBus, LlmProviderFactory, LlmRequest, LlmStreamEvent, Logger } from '@nexus/plugin-sdk';

/** What the runtime sees from one model call: the provider's stream plus attempt/failover notices. */
export type ModelStreamEvent = LlmStreamEvent | Extract<AgentEvent, { type: 'attempt' | 'failover' }>;

/** A model request before the failover chain picks a provider and model. */
export type ModelRequest = Omit<LlmRequest, 'model'> & {
  /** `provider/model` or a bare model name for the default provider; the chain's default when absent. */
  readonly model?: string;
};

/**
 * The runtime's single door to the LLM providers: resolves the configured candidates, retries
 * with backoff, honours cooldowns and fails over. Throws a `ProviderError` when the call finally
 * fails (never after text was yielded, except to report that failure), or a `NoProviderError`.
 * When `signal` aborts it stops the provider's request and throws `signal.reason`. `signal` may be
 * a `Cancellation` rather than an AbortSignal, so a caller need not make a signal for every call.
 *
 * Keep one client for the life of a configuration: cooldowns and created providers live in it.
 */
export interface ModelClient {
  stream(request: ModelRequest, options: { readonly signal: AbortSignal | Cancellation; readonly iteration: number }): AsyncIterable<ModelStreamEvent>;
}

/** Time, injectable so tests of backoff and cooldown run instantly and deterministically. */
export interface ModelClientTime {
  now(): number;
  /** Resolves after `ms`; rejects with `signal.reason` when the signal aborts first. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** A number in [0, 1), for backoff jitter. */
  random(): number;
}

/** How hard the chain tries. Per-entry `max_retries`/`timeout` and `llm.cooldown` override the defaults. */
export interface FailoverPolicy {
  /** Retries of one candidate after its first attempt, for retryable failures. */
  readonly maxRetries: number;
  /** Backoff before the first retry; doubles each retry, capped at `maxDelayMs`, then jittered. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A `retry-after` longer than this is not waited out: the chain fails over (or gives up) instead. */
  readonly maxRetryAfterMs: number;
  /** Time allowed without progress: until the first event, and between events. */
  readonly timeoutMs: number;
  /** Consecutive failed attempts after which a provider cools down. */
  readonly cooldownAfterFailures: number;
  /** How long a cooling provider is skipped while another candidate is available. */
  readonly cooldownMs: number;
}

export interface ModelClientOptions {
  /** The validated `llm` config section. */
  readonly llm: Readonly<Record<string, unknown>>;
  /** The provider factory contributed for a type (`anthropic`, `openai`), or undefined if none is enabled. */
  readonly factory: (type: string) => Promise<LlmProviderFactory | undefined>;
  /** Provider types some enabled plugin contributes, for error messages. */
  readonly knownTypes: readonly string[];
  readonly logger: Logger;
  /** Fires `provider.failed` for every failed call. */
  readonly hooks: HookBus;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Real time unless a test injects its own. */
  readonly time?: Partial<ModelClientTime>;
  /** Defaults for what the config leaves unset. */
  readonly policy?: Partial<FailoverPolicy>;
}
