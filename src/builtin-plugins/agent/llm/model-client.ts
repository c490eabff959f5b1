import type { AgentEvent, HookBus, LlmProviderFactory, LlmRequest, LlmStreamEvent, Logger } from '../../../contracts/index.js';

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
 */
export interface ModelClient {
  stream(request: ModelRequest, options: { readonly signal: AbortSignal; readonly iteration: number }): AsyncIterable<ModelStreamEvent>;
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
}
