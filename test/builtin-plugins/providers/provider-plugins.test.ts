import { describe, expect, it } from 'vitest';
import { DoctorChecks, LlmProviders, type ConfigAccess, type DoctorFinding } from '@nexus/plugin-sdk';
import { AnthropicProbe } from '../../../src/builtin-plugins/anthropic/anthropic-probe.js';
import { OpenAIProbe } from '../../../src/builtin-plugins/openai/openai-probe.js';
import { createTestKernel, type TestKernel } from '../../../src/kernel/testing/index.js';
import { openaiBaseUrl, startFakeAnthropic, startFakeOpenAI, textReply } from '../../fixtures/llm-servers/index.js';
import { agentPluginDir, anthropicPluginDir, openaiPluginDir, request, streamOnce, texts } from './provider-test-kit.js';

function kernelFor(pluginDir: string, llm: Record<string, unknown>): TestKernel {
  return createTestKernel({ plugin: pluginDir, with: [agentPluginDir], settings: { llm } });
}

async function doctor(kernel: TestKernel, name: string, probe: boolean): Promise<readonly DoctorFinding[]> {
  const check = await kernel.contributions.get(DoctorChecks, name);
  return check.run({ signal: AbortSignal.timeout(5_000), probe });
}

function configOf(llm: Record<string, unknown>): ConfigAccess {
  return { path: undefined, home: '/nonexistent-nexus-home', section: <T>(name: string) => (name === 'llm' ? (llm as T) : undefined) };
}

describe('openai plugin', () => {
  it('contributes the openai provider type, whose factory streams through the SDK', async () => {
    await using server = await startFakeOpenAI({ apiKey: 'sk-1' });
    server.push(textReply('via the kernel'));
    await using kernel = kernelFor(openaiPluginDir, {});

    expect(kernel.contributions.names(LlmProviders)).toEqual(['openai']);
    const factory = await kernel.contributions.get(LlmProviders, 'openai');
    expect(factory.apiKeyEnv).toBe('OPENAI_API_KEY');
    const provider = factory.create({ id: 'openai', type: 'openai', apiKey: 'sk-1', baseUrl: openaiBaseUrl(server) });
    expect(texts((await streamOnce(provider, request())).events)).toBe('via the kernel');
    expect(kernel.summary().diagnostics).toEqual([]);
  });

  it('probes nothing without --probe, but names the entries it would contact', async () => {
    await using kernel = kernelFor(openaiPluginDir, { providers: { local: { type: 'openai', base_url: 'http://127.0.0.1:9/v1' }, claude: { type: 'anthropic' } } });
    expect(await doctor(kernel, 'openai-probe', false)).toEqual([{ level: 'info', message: 'local: not contacted (run doctor with --probe)' }]);
  });

  it('reports each entry reachable with its key accepted, and a default_model the server does not list', async () => {
    await using server = await startFakeOpenAI({ apiKey: 'sk-secret-1', models: ['llama3.2', 'qwen2.5'] });
    const url = openaiBaseUrl(server);
    await using kernel = kernelFor(openaiPluginDir, {
      providers: {
        good: { type: 'openai', api_key: 'sk-secret-1', base_url: url, default_model: 'llama3.2' },
        typo: { type: 'openai', api_key: 'sk-secret-1', base_url: url, default_model: 'lama3.2' },
      },
    });
    const findings = await doctor(kernel, 'openai-probe', true);
    expect(findings).toEqual([
      { level: 'info', message: `llm.providers.good (${url}, key: llm.providers.good.api_key): reachable, key accepted, 2 models listed` },
      { level: 'info', message: `llm.providers.typo (${url}, key: llm.providers.typo.api_key): reachable, key accepted, 2 models listed` },
      {
        level: 'warning',
        message: `llm.providers.typo (${url}, key: llm.providers.typo.api_key): default_model "lama3.2" is not among the models the server lists`,
        hint: 'check llm.providers.typo.default_model (for Ollama, pull the model first)',
      },
    ]);
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models', 'GET /v1/models']);
  });

  it('reports a rejected key and an unreachable server as errors, with hints and no secrets', async () => {
    await using server = await startFakeOpenAI({ apiKey: 'sk-right' });
    const url = openaiBaseUrl(server);
    await using kernel = kernelFor(openaiPluginDir, {
      providers: {
        wrong: { type: 'openai', api_key: 'sk-wrong-secret', base_url: url },
        down: { type: 'openai', base_url: 'http://user:hunter2@127.0.0.1:9/v1' },
      },
    });
    const findings = await doctor(kernel, 'openai-probe', true);
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({
      level: 'error',
      message: expect.stringMatching(new RegExp(`^llm\\.providers\\.wrong \\(${url.replace(/[.]/g, '\\.')}, key: llm\\.providers\\.wrong\\.api_key\\): auth \\(HTTP 401\\): `)),
      hint: 'set a valid key in llm.providers.wrong.api_key or OPENAI_API_KEY',
    });
    expect(findings[1]).toMatchObject({
      level: 'error',
      message: expect.stringMatching(/^llm\.providers\.down \(http:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:9\/v1, key: no key\): network: cannot reach/),
      hint: 'check llm.providers.down.base_url, and that the server is running',
    });
    expect(JSON.stringify(findings)).not.toMatch(/sk-wrong-secret|hunter2/);
  });

  it('probes the implicit entry when nothing is configured but OPENAI_API_KEY is set, without printing the key', async () => {
    const probe = new OpenAIProbe(configOf({}), { OPENAI_API_KEY: 'sk-env-secret' });
    expect(await probe.run({ signal: AbortSignal.timeout(5_000), probe: false })).toEqual([{ level: 'info', message: 'openai: not contacted (run doctor with --probe)' }]);
    const none = new OpenAIProbe(configOf({}), {});
    expect(await none.run({ signal: AbortSignal.timeout(5_000), probe: true })).toEqual([
      { level: 'info', message: 'no llm.providers entry has type openai, and OPENAI_API_KEY is not set: nothing to probe' },
    ]);
  });

  it('says the key comes from the environment when the entry has none', async () => {
    await using server = await startFakeOpenAI({ apiKey: 'sk-env' });
    const probe = new OpenAIProbe(configOf({ providers: { openai: { base_url: openaiBaseUrl(server) } } }), { OPENAI_API_KEY: 'sk-env' });
    const findings = await probe.run({ signal: AbortSignal.timeout(5_000), probe: true });
    expect(findings).toEqual([{ level: 'info', message: `llm.providers.openai (${openaiBaseUrl(server)}, key: OPENAI_API_KEY): reachable, key accepted, 1 models listed` }]);
  });
});

describe('anthropic plugin', () => {
  it('contributes the anthropic provider type', async () => {
    await using server = await startFakeAnthropic({ apiKey: 'sk-ant-1' });
    server.push(textReply('claude via the kernel'));
    await using kernel = kernelFor(anthropicPluginDir, {});

    expect(kernel.contributions.names(LlmProviders)).toEqual(['anthropic']);
    const factory = await kernel.contributions.get(LlmProviders, 'anthropic');
    expect(factory.apiKeyEnv).toBe('ANTHROPIC_API_KEY');
    const provider = factory.create({ id: 'anthropic', type: 'anthropic', apiKey: 'sk-ant-1', baseUrl: server.url });
    expect(texts((await streamOnce(provider, request())).events)).toBe('claude via the kernel');
  });

  it('probes each anthropic entry: reachable, rejected key, missing key, and accepts a model alias', async () => {
    await using server = await startFakeAnthropic({ apiKey: 'sk-ant-right', models: ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001'] });
    await using kernel = kernelFor(anthropicPluginDir, {
      providers: {
        anthropic: { api_key: 'sk-ant-right', base_url: server.url, default_model: 'claude-sonnet-4-5' },
        stale: { type: 'anthropic', api_key: 'sk-ant-revoked', base_url: server.url },
        keyless: { type: 'anthropic', base_url: server.url },
        other: { type: 'openai', base_url: 'http://127.0.0.1:9/v1' },
      },
    });
    const findings = await doctor(kernel, 'anthropic-probe', true);
    expect(findings.map((f) => `${f.level} ${f.message.split(':')[0]}`)).toEqual(['info llm.providers.anthropic (http', 'error llm.providers.stale (http', 'error llm.providers.keyless (http']);
    expect(findings[0]!.message).toMatch(/reachable, key accepted, 2 models listed$/);
    expect(findings[1]).toMatchObject({ message: expect.stringContaining('auth (HTTP 401)'), hint: 'set a valid key in llm.providers.stale.api_key or ANTHROPIC_API_KEY' });
    expect(findings[2]!.message).toContain('key: no key): auth: no API key for llm.providers.keyless: set ANTHROPIC_API_KEY');
    expect(JSON.stringify(findings)).not.toContain('sk-ant-');
    // The keyless entry was never sent to the network.
    expect(server.requests).toHaveLength(2);
  });

  it('warns when the default model is neither listed nor an alias of a listed one', async () => {
    await using server = await startFakeAnthropic({ models: ['claude-haiku-4-5-20251001'] });
    const probe = new AnthropicProbe(configOf({ providers: { anthropic: { api_key: 'k', base_url: server.url, default_model: 'claude-opus-9' } } }), {});
    const findings = await probe.run({ signal: AbortSignal.timeout(5_000), probe: true });
    expect(findings.map((f) => f.level)).toEqual(['info', 'warning']);
    expect(findings[1]).toMatchObject({ message: expect.stringContaining('default_model "claude-opus-9" is not among the models the API lists'), hint: 'check llm.providers.anthropic.default_model' });
  });
});
