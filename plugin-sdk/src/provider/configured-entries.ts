import type { ConfigAccess, LlmProviderEntry } from '../contracts/index.js';
import { readLlmSettings } from './llm-settings.js';

/** An entry to probe, and where its key came from (never the key itself). */
export interface ProbeTarget {
  readonly entry: LlmProviderEntry;
  readonly keySource: string;
}

/**
 * The `llm.providers` entries of `type`, read by the model client's own settings reader and with
 * the env key applied as the model client does, so a probe checks what a turn would use. With no
 * entries at all, a set env key makes an implicit entry named after the type.
 */
export function configuredEntries(config: ConfigAccess, type: string, keyEnv: string, env: Readonly<Record<string, string | undefined>>): ProbeTarget[] {
  const { entries } = readLlmSettings(config.section<Record<string, unknown>>('llm') ?? {});
  const envKey = env[keyEnv]?.trim() || undefined;
  if (entries.length === 0) {
    return envKey ? [{ entry: { id: type, type, apiKey: envKey }, keySource: keyEnv }] : [];
  }
  return entries
    .filter((settings) => settings.type === type)
    .map(({ id, apiKey, baseUrl, defaultModel }) => {
      const entry: LlmProviderEntry = { id, type, apiKey: apiKey ?? envKey, baseUrl, defaultModel };
      return { entry, keySource: apiKey ? `llm.providers.${id}.api_key` : envKey ? keyEnv : 'no key' };
    });
}
