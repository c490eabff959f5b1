import type Anthropic from '@anthropic-ai/sdk';
import { ProviderError, type LlmProvider, type LlmProviderEntry, type LlmProviderFactory, type LlmRequest, type LlmStreamEvent } from '@nexus/plugin-sdk';
import { redactUrl } from '@nexus/plugin-sdk/provider';
import { ANTHROPIC_KEY_ENV, anthropicClient } from './anthropic-client.js';
import { providerError, type FailureContext } from './error-mapping.js';
import { messagesRequest } from './request-mapping.js';
import { EventAccumulator } from './stream-mapping.js';

const DEFAULT_MODEL = 'claude-sonnet-4-20250514';

/** The `anthropic` provider type: the Messages API through the official SDK. */
export const anthropicFactory: LlmProviderFactory = {
  apiKeyEnv: ANTHROPIC_KEY_ENV,
  defaultModel: DEFAULT_MODEL,
  create: (entry) => new AnthropicProvider(entry),
};

class AnthropicProvider implements LlmProvider {
  readonly id: string;
  readonly defaultModel: string;
  private readonly client: Anthropic;
  private readonly baseUrl: string;

  constructor(entry: LlmProviderEntry) {
    this.id = entry.id;
    this.defaultModel = entry.defaultModel ?? DEFAULT_MODEL;
    ({ client: this.client, baseUrl: this.baseUrl } = anthropicClient(entry));
  }

  async *stream(request: LlmRequest, options: { readonly signal: AbortSignal; readonly timeoutMs?: number }): AsyncGenerator<LlmStreamEvent> {
    const { signal, timeoutMs } = options;
    const ctx: FailureContext = { provider: this.id, model: request.model, baseUrl: this.baseUrl };
    const accumulator = new EventAccumulator();
    try {
      const stream = await this.client.messages.create(messagesRequest(request), { signal, ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }) });
      for await (const event of stream) yield* accumulator.add(event);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw providerError(error, ctx);
    }
    // The SDK ends the stream quietly when the request is aborted.
    if (signal.aborted) throw signal.reason;
    if (!accumulator.finished) {
      throw new ProviderError({ reason: 'network', provider: this.id, model: request.model, message: `the stream from ${redactUrl(this.baseUrl)} ended before message_stop` });
    }
    yield* accumulator.finish();
  }
}
