import { describe, expect, it } from 'vitest';
import type { LlmProviderFactory } from '@nexus/plugin-sdk';
import { anthropicFactory } from '../../../src/builtin-plugins/anthropic/anthropic-provider.js';
import { isNoProviderError, type NoProviderError } from '../../../src/builtin-plugins/agent/llm/index.js';
import { openaiFactory } from '../../../src/builtin-plugins/openai/openai-provider.js';
import { openaiBaseUrl, startFakeAnthropic, startFakeOpenAI, textReply, type FakeLlmServer } from '../../fixtures/llm-servers/index.js';
import { chainEvents, testModelClient, texts } from './provider-test-kit.js';

function noProvider(error: unknown): NoProviderError {
  expect(isNoProviderError(error)).toBe(true);
  return error as NoProviderError;
}

/** The real factories, with entries that set no base URL sent to local fake servers instead of the internet. */
function localFactories(servers: { anthropic?: FakeLlmServer; openai?: FakeLlmServer }) {
  const redirect = (factory: LlmProviderFactory, url: string | undefined): LlmProviderFactory => ({
    apiKeyEnv: factory.apiKeyEnv,
    defaultModel: factory.defaultModel,
    create: (entry) => factory.create({ ...entry, baseUrl: entry.baseUrl ?? url }),
  });
  const factories: Record<string, LlmProviderFactory> = {
    anthropic: redirect(anthropicFactory, servers.anthropic?.url),
    openai: redirect(openaiFactory, servers.openai && openaiBaseUrl(servers.openai)),
  };
  return { factory: async (type: string) => factories[type], knownTypes: ['anthropic', 'openai'] };
}

describe('model client: which provider answers', () => {
  it('explains every way to set up a provider when none is configured', async () => {
    const { run } = testModelClient({});
    const error = noProvider((await run()).error);
    expect(error.kind).toBe('none_configured');
    expect(error.message).toBe(
      [
        'No LLM provider is configured, so this turn cannot be answered. Set one up in any of these ways:',
        '  - run `nexus onboard`, which asks for a provider, checks the key and writes the config;',
        '  - set ANTHROPIC_API_KEY or OPENAI_API_KEY in the environment Nexus runs in;',
        '  - or paste this into nexus.yaml (type: anthropic | openai; for OpenAI-compatible servers such as Ollama, keep type openai and set base_url):',
        '',
        'llm:',
        '  default_provider: local',
        '  providers:',
        '    local:',
        '      type: openai',
        '      base_url: http://127.0.0.1:11434/v1',
        '      api_key: ollama',
        '      default_model: llama3.2',
      ].join('\n'),
    );
  });

  it('says to enable a provider plugin when none is enabled', async () => {
    const { run } = testModelClient({ providers: { openai: { api_key: 'k' } } }, { factory: async () => undefined, knownTypes: [] });
    const error = noProvider((await run()).error);
    expect(error.kind).toBe('unknown_type');
    expect(error.message).toContain('known types: none (no provider plugin is enabled)');

    const empty = testModelClient({}, { factory: async () => undefined, knownTypes: [] });
    expect(noProvider((await empty.run()).error).message).toMatch(/^No LLM provider is available: no enabled plugin provides one\.\nEnable the anthropic or openai plugin/);
  });

  it('keeps explaining on every call, rather than failing once and then crashing', async () => {
    const { run } = testModelClient({});
    expect(isNoProviderError((await run()).error)).toBe(true);
    expect(isNoProviderError((await run()).error)).toBe(true);
  });

  it('uses the API key from the environment when the entry sets none', async () => {
    await using server = await startFakeAnthropic({ apiKey: 'sk-from-env' });
    server.push(textReply('keyed by env'));
    const { run } = testModelClient({ providers: { anthropic: { base_url: server.url, default_model: 'c' } } }, { env: { ANTHROPIC_API_KEY: 'sk-from-env' } });

    expect(texts((await run()).events)).toBe('keyed by env');
    expect(server.streamRequests[0]!.apiKey).toBe('sk-from-env');
  });

  it('prefers the entry api_key over the environment', async () => {
    await using server = await startFakeOpenAI({ apiKey: 'sk-entry' });
    server.push(textReply('ok'));
    const { run } = testModelClient(
      { providers: { openai: { api_key: 'sk-entry', base_url: openaiBaseUrl(server), default_model: 'g' } } },
      { env: { OPENAI_API_KEY: 'sk-env' } },
    );
    expect(texts((await run()).events)).toBe('ok');
    expect(server.streamRequests[0]!.apiKey).toBe('sk-entry');
  });

  it('with nothing configured, uses a provider type whose key is in the environment, with its default model', async () => {
    await using openai = await startFakeOpenAI({ apiKey: 'sk-env' });
    openai.push(textReply('env only'));
    const { run } = testModelClient({}, { env: { OPENAI_API_KEY: 'sk-env' }, ...localFactories({ openai }) });

    const { events } = await run();
    expect(texts(events)).toBe('env only');
    expect(chainEvents(events)).toEqual(['attempt openai/gpt-4o #1']);
  });

  it('with both env keys set and nothing configured, picks the first known type', async () => {
    await using anthropic = await startFakeAnthropic();
    anthropic.push(textReply('anthropic first'));
    const { run } = testModelClient({}, { env: { OPENAI_API_KEY: 'a', ANTHROPIC_API_KEY: 'b' }, ...localFactories({ anthropic }) });
    expect(chainEvents((await run()).events)).toEqual(['attempt anthropic/claude-sonnet-4-20250514 #1']);
  });

  it('treats a default_provider that names a type without an entry as that type with defaults', async () => {
    await using anthropic = await startFakeAnthropic();
    await using openai = await startFakeOpenAI();
    openai.push(textReply('chosen'));
    const { run } = testModelClient({ default_provider: 'openai' }, { env: { OPENAI_API_KEY: 'a', ANTHROPIC_API_KEY: 'b' }, ...localFactories({ anthropic, openai }) });
    expect(texts((await run()).events)).toBe('chosen');
    expect(anthropic.requests).toHaveLength(0);
  });

  it('uses the only entry when default_provider is unset', async () => {
    await using server = await startFakeOpenAI();
    server.push(textReply('only one'));
    const { run, logger } = testModelClient({ providers: { local: { type: 'openai', base_url: openaiBaseUrl(server), default_model: 'm' } } });
    expect(chainEvents((await run()).events)).toEqual(['attempt local/m #1']);
    expect(logger.entries.filter((e) => e.level === 'warn')).toEqual([]);
  });

  it('uses the first entry in file order when several exist and default_provider is unset, and warns', async () => {
    await using first = await startFakeOpenAI();
    await using second = await startFakeOpenAI();
    first.push(textReply('first'));
    const { run, logger } = testModelClient({
      providers: {
        zeta: { type: 'openai', base_url: openaiBaseUrl(first), default_model: 'm' },
        alpha: { type: 'openai', base_url: openaiBaseUrl(second), default_model: 'm' },
      },
    });
    expect(texts((await run()).events)).toBe('first');
    expect(logger.entries).toContainEqual(
      expect.objectContaining({ level: 'warn', msg: 'llm.default_provider is not set; using the first entry of llm.providers', fields: expect.objectContaining({ provider: 'zeta', configured: ['zeta', 'alpha'] }) }),
    );
  });

  it('rejects a default_provider that names no entry, listing the configured ids', async () => {
    const { run } = testModelClient({ default_provider: 'gemini', providers: { local: { type: 'openai', base_url: 'http://127.0.0.1:9/v1' } } });
    const error = noProvider((await run()).error);
    expect(error.kind).toBe('unknown_provider');
    expect(error.message).toBe(
      'llm.default_provider is "gemini", but llm.providers has no entry "gemini" (configured: local). Add llm.providers.gemini to nexus.yaml, or set llm.default_provider to one of the configured ids.',
    );
  });

  it('rejects an entry whose type no plugin provides, naming the known types', async () => {
    const { run } = testModelClient({ providers: { mistral: { api_key: 'k' } } });
    const error = noProvider((await run()).error);
    expect(error.kind).toBe('unknown_type');
    expect(error.message).toBe(
      'llm.providers.mistral needs provider type "mistral", but no enabled plugin provides it; known types: anthropic, openai. Set llm.providers.mistral.type to one of them, or enable the plugin that provides "mistral".',
    );
  });

  it('skips a fallback it cannot use, with a warning, and still answers from the primary', async () => {
    await using server = await startFakeOpenAI();
    server.push(textReply('primary'));
    const { run, logger } = testModelClient({
      default_provider: 'local',
      providers: { local: { type: 'openai', base_url: openaiBaseUrl(server), default_model: 'm' }, odd: { type: 'cohere' } },
      fallbacks: ['odd', 'missing'],
    });
    expect(texts((await run()).events)).toBe('primary');
    const warnings = logger.entries.filter((e) => e.level === 'warn').map((e) => e.msg);
    expect(warnings).toEqual(['llm.fallbacks names "odd", which cannot be used; skipping it', 'llm.fallbacks names "missing", which cannot be used; skipping it']);
  });

  it('asks for a model when neither the entry nor its type names one', async () => {
    const noDefault: LlmProviderFactory = { create: (entry) => openaiFactory.create(entry) };
    const { run } = testModelClient({ providers: { bare: { type: 'custom', base_url: 'http://127.0.0.1:9/v1' } } }, { factory: async () => noDefault, knownTypes: ['custom'] });
    const error = noProvider((await run()).error);
    expect(error.kind).toBe('no_model');
    expect(error.message).toBe('llm.providers.bare sets no default_model, and its type "custom" has none. Set llm.providers.bare.default_model, or ask for "bare/<model>".');
  });

  it('reads llm.cooldown and per-entry max_retries', async () => {
    await using primary = await startFakeOpenAI();
    await using fallback = await startFakeOpenAI();
    primary.always({ kind: 'error', status: 500 });
    fallback.always(textReply('fallback'));
    const { run, time } = testModelClient({
      cooldown: '5s',
      default_provider: 'primary',
      providers: {
        primary: { type: 'openai', base_url: openaiBaseUrl(primary), default_model: 'm', max_retries: 0 },
        fallback: { type: 'openai', base_url: openaiBaseUrl(fallback), default_model: 'm' },
      },
      fallbacks: ['fallback'],
    });

    // No retries: each call makes one attempt at the primary; the third failure starts the cooldown.
    for (let call = 0; call < 3; call++) await run();
    expect(primary.streamRequests).toHaveLength(3);
    expect(time.sleeps).toEqual([]);
    await run();
    expect(primary.streamRequests).toHaveLength(3);
    time.advance(5_001);
    await run();
    expect(primary.streamRequests).toHaveLength(4);
  });
});
