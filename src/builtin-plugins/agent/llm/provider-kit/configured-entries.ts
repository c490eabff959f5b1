import type { ConfigAccess, LlmProviderEntry } from '../../contracts/index.js';

/** An entry to probe, and where its key came from (never the key itself). */
export interface ProbeTarget {
  readonly entry: LlmProviderEntry;
  readonly keySource: string;
}

function record(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The `llm.providers` entries of `type`, with the env key applied as the agent's model client
 * does. With no entries at all, a set env key makes an implicit entry named after the type.
 */
export function configuredEntries(config: ConfigAccess, type: string, keyEnv: string, env: Readonly<Record<string, string | undefined>>): ProbeTarget[] {
  const providers = Object.entries(record(record(config.section('llm')).providers));
  const envKey = text(env[keyEnv]);
  if (providers.length === 0) {
    return envKey ? [{ entry: { id: type, type, apiKey: envKey }, keySource: keyEnv }] : [];
  }
  return providers
    .map(([id, raw]) => ({ id, raw: record(raw) }))
    .filter(({ id, raw }) => (text(raw.type) ?? id) === type)
    .map(({ id, raw }) => {
      const own = text(raw.api_key);
      const entry: LlmProviderEntry = { id, type, apiKey: own ?? envKey, baseUrl: text(raw.base_url), defaultModel: text(raw.default_model) };
      return { entry, keySource: own ? `llm.providers.${id}.api_key` : envKey ? keyEnv : 'no key' };
    });
}
