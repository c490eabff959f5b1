import Anthropic from '@anthropic-ai/sdk';
import { ProviderError, type LlmProviderEntry } from '@nexus/plugin-sdk';

export const ANTHROPIC_API_URL = 'https://api.anthropic.com';
export const ANTHROPIC_KEY_ENV = 'ANTHROPIC_API_KEY';

/** An SDK client for one config entry; without a key, an `auth` ProviderError that says where to put one. */
export function anthropicClient(entry: LlmProviderEntry): { readonly client: Anthropic; readonly baseUrl: string } {
  if (!entry.apiKey) {
    throw new ProviderError({
      reason: 'auth',
      provider: entry.id,
      message: `no API key for llm.providers.${entry.id}: set ${ANTHROPIC_KEY_ENV}, or llm.providers.${entry.id}.api_key in nexus.yaml`,
    });
  }
  const baseUrl = entry.baseUrl ?? ANTHROPIC_API_URL;
  const client = new Anthropic({
    apiKey: entry.apiKey,
    // Explicit, so ANTHROPIC_BASE_URL in the environment cannot redirect an entry that set none.
    baseURL: baseUrl,
    // The failover chain retries, with a backoff that knows about the other candidates.
    maxRetries: 0,
    logLevel: 'off',
  });
  return { client, baseUrl };
}
