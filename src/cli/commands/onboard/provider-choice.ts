/** The provider an operator picks: a hosted API, or any OpenAI-compatible server by URL. */
export type ProviderKind = 'anthropic' | 'openai' | 'compatible';

export interface ProviderChoice {
  readonly kind: ProviderKind;
  /** For `compatible`: the server's API base, e.g. http://127.0.0.1:11434/v1. */
  readonly baseUrl?: string;
  readonly apiKey?: string;
}

export const DEFAULT_BASE_URLS: Readonly<Record<Exclude<ProviderKind, 'compatible'>, string>> = {
  anthropic: 'https://api.anthropic.com',
  openai: 'https://api.openai.com/v1',
};

export const KEY_VARIABLES: Readonly<Record<Exclude<ProviderKind, 'compatible'>, string>> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
};

/** The llm.providers entry id onboarding writes: the type's own name, or `local` for a compatible server. */
export function entryId(kind: ProviderKind): string {
  return kind === 'compatible' ? 'local' : kind;
}

/** The plugin (and provider type) that serves the entry. */
export function entryType(kind: ProviderKind): 'anthropic' | 'openai' {
  return kind === 'anthropic' ? 'anthropic' : 'openai';
}

/** `--provider anthropic|openai|<URL>`; undefined when it is none of them. */
export function parseProvider(value: string): ProviderChoice | undefined {
  if (value === 'anthropic' || value === 'openai') return { kind: value };
  if (/^https?:\/\/[^\s/]+/.test(value)) return { kind: 'compatible', baseUrl: value.replace(/\/+$/, '') };
  return undefined;
}

/**
 * The model onboarding proposes from the provider's list: a current general model where the
 * provider is known, else the first listed.
 */
export function defaultModel(kind: ProviderKind, models: readonly string[]): string | undefined {
  const preferences: Record<ProviderKind, readonly RegExp[]> = {
    anthropic: [/sonnet/, /opus/, /haiku/],
    openai: [/^gpt-5(\.\d+)?$/, /^gpt-5(\.\d+)?-mini$/, /^gpt-4\.1$/, /^gpt-4o$/, /^gpt-/],
    compatible: [],
  };
  for (const pattern of preferences[kind]) {
    const found = models.find((m) => pattern.test(m));
    if (found) return found;
  }
  return models[0];
}
