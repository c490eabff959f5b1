const NO_PROVIDER_BRAND = Symbol.for('nexus.no-provider-error');

/** Why no provider could serve the call. */
export type NoProviderKind =
  /** Nothing is configured and no API key is in the environment. */
  | 'none_configured'
  /** `llm.default_provider` (or a request's `provider/model`) names no entry. */
  | 'unknown_provider'
  /** The entry's type is served by no enabled plugin. */
  | 'unknown_type'
  /** Neither the entry nor its type names a model. */
  | 'no_model';

/**
 * No configured provider can take the call. Nexus starts without one; the first turn reports
 * this, and the message says how to set one up.
 */
export class NoProviderError extends Error {
  readonly kind: NoProviderKind;
  readonly [NO_PROVIDER_BRAND] = true;

  constructor(kind: NoProviderKind, message: string) {
    super(message);
    this.name = 'NoProviderError';
    this.kind = kind;
  }
}

/** Works across module copies, unlike `instanceof`. */
export function isNoProviderError(error: unknown): error is NoProviderError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[NO_PROVIDER_BRAND] === true;
}

/** The message for a setup with no provider at all: every way to add one. */
export function noneConfiguredMessage(envVars: readonly string[], knownTypes: readonly string[]): string {
  if (knownTypes.length === 0) {
    return [
      'No LLM provider is available: no enabled plugin provides one.',
      'Enable the anthropic or openai plugin (plugins.entries.<id>.enabled: true in nexus.yaml), or install a provider plugin.',
    ].join('\n');
  }
  const keys = envVars.length > 0 ? envVars.join(' or ') : 'the API key variable of your provider';
  return [
    'No LLM provider is configured, so this turn cannot be answered. Set one up in any of these ways:',
    `  - set ${keys} in the environment Nexus runs in;`,
    `  - add an entry to nexus.yaml: llm.providers.<id>: { type: ${knownTypes.join(' | ')}, api_key: ..., default_model: ... };`,
    '  - point an OpenAI-compatible entry at a local server, e.g. Ollama:',
    '      llm.providers.local: { type: openai, base_url: http://127.0.0.1:11434/v1, default_model: llama3.2 }',
    '    and set llm.default_provider: local.',
  ].join('\n');
}
