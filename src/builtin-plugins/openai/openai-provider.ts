import type OpenAI from 'openai';
import {
  ProviderError,
  type LlmProvider,
  type LlmProviderEntry,
  type LlmProviderFactory,
  type LlmRequest,
  type LlmStreamEvent,
} from '@nexus/plugin-sdk';
import { redactUrl } from '@nexus/plugin-sdk/provider';
import { providerError, type FailureContext } from './error-mapping.js';
import { OPENAI_API_URL, OPENAI_KEY_ENV, openaiClient } from './openai-client.js';
import { chatCompletionRequest } from './request-mapping.js';
import { ChunkAccumulator } from './stream-mapping.js';

const DEFAULT_MODEL = 'gpt-4o';

/** The `openai` provider type: OpenAI, and any server speaking Chat Completions (Ollama, vLLM, OpenRouter). */
export const openaiFactory: LlmProviderFactory = {
  apiKeyEnv: OPENAI_KEY_ENV,
  defaultModel: DEFAULT_MODEL,
  create: (entry) => new OpenAIProvider(entry),
};

class OpenAIProvider implements LlmProvider {
  readonly id: string;
  readonly defaultModel: string;
  private readonly client: OpenAI;
  private readonly baseUrl: string;

  constructor(entry: LlmProviderEntry) {
    this.id = entry.id;
    this.defaultModel = entry.defaultModel ?? DEFAULT_MODEL;
    ({ client: this.client, baseUrl: this.baseUrl } = openaiClient(entry));
  }

  async *stream(request: LlmRequest, options: { readonly signal: AbortSignal; readonly timeoutMs?: number }): AsyncGenerator<LlmStreamEvent> {
    const { signal, timeoutMs } = options;
    const ctx: FailureContext = { provider: this.id, model: request.model, baseUrl: this.baseUrl };
    const accumulator = new ChunkAccumulator();
    try {
      const params = chatCompletionRequest(request, this.baseUrl === OPENAI_API_URL);
      const stream = await this.client.chat.completions.create(params, { signal, ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }) });
      for await (const chunk of stream) {
        const text = accumulator.add(chunk);
        if (text !== undefined) yield { type: 'text_delta', text };
      }
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw providerError(error, ctx);
    }
    // The SDK ends the stream quietly when the request is aborted.
    if (signal.aborted) throw signal.reason;
    if (!accumulator.finished) {
      throw new ProviderError({ reason: 'network', provider: this.id, model: request.model, message: `the stream from ${redactUrl(this.baseUrl)} ended before the response was complete` });
    }
    yield* accumulator.finish();
  }
}
