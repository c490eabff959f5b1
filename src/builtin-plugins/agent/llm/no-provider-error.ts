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
      'Enable the anthropic or openai plugin in nexus.yaml, or install a provider plugin:',
      '',
      'plugins:',
      '  entries:',
      '    openai:',
      '      enabled: true',
    ].join('\n');
  }
  const keys = envVars.length > 0 ? envVars.join(' or ') : 'the API key variable of your provider';
  const type = knownTypes.includes('openai') ? 'openai' : knownTypes[0]!;
  return [
    'No LLM provider is configured, so this turn cannot be answered. Set one up in any of these ways:',
    '  - run `nexus onboard`, which asks for a provider, checks the key and writes the config;',
    `  - set ${keys} in the environment Nexus runs in;`,
    `  - or paste this into nexus.yaml (type: ${knownTypes.join(' | ')}; for OpenAI-compatible servers such as Ollama, keep type openai and set base_url):`,
    '',
    ...providerYaml(type),
  ].join('\n');
}

/**
 * Nested YAML an operator can paste as it is (dotted keys would not be read as nesting). Shaped
 * for a local OpenAI-compatible server when openai is available, since that needs no account.
 */
export function providerYaml(type: string): string[] {
  if (type === 'openai') {
    return [
      'llm:',
      '  default_provider: local',
      '  providers:',
      '    local:',
      '      type: openai',
      '      base_url: http://127.0.0.1:11434/v1',
      '      api_key: ollama',
      '      default_model: llama3.2',
    ];
  }
  return ['llm:', `  default_provider: ${type}`, '  providers:', `    ${type}:`, `      type: ${type}`, '      api_key: <your key>', '      default_model: <model id>'];
}
