import OpenAI from 'openai';
import { ProviderError, type LlmProviderEntry } from '@nexus/plugin-sdk';

export const OPENAI_API_URL = 'https://api.openai.com/v1';
export const OPENAI_KEY_ENV = 'OPENAI_API_KEY';

/**
 * An SDK client for one config entry. Local servers ignore the key but the SDK insists on one,
 * so only the official API (no `base_url`) requires a real key; without one this throws an
 * `auth` ProviderError that says where to put it.
 */
export function openaiClient(entry: LlmProviderEntry): { readonly client: OpenAI; readonly baseUrl: string } {
  if (!entry.apiKey && entry.baseUrl === undefined) {
    throw new ProviderError({
      reason: 'auth',
      provider: entry.id,
      message: `no API key for llm.providers.${entry.id}: set ${OPENAI_KEY_ENV}, or llm.providers.${entry.id}.api_key in nexus.yaml`,
    });
  }
  const baseUrl = entry.baseUrl ?? OPENAI_API_URL;
  const client = new OpenAI({
    apiKey: entry.apiKey || 'not-needed',
    // Explicit, so OPENAI_BASE_URL in the environment cannot redirect an entry that set none.
    baseURL: baseUrl,
    // The failover chain retries, with a backoff that knows about the other candidates.
    maxRetries: 0,
    logLevel: 'off',
  });
  return { client, baseUrl };
}
