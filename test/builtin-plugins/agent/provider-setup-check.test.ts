import { describe, expect, it } from 'vitest';
import { DoctorChecks, type ConfigAccess, type DoctorFinding } from '@nexus/plugin-sdk';
import { ProviderSetupCheck } from '../../../src/builtin-plugins/agent/llm/index.js';
import { join } from 'node:path';
import { configProblems } from '../../../src/cli/commands/config.js';
import { parseConfigText } from '../../../src/kernel/config/index.js';
import { Kernel } from '../../../src/kernel/index.js';
import { createTestKernel } from '../../../src/kernel/testing/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { agentPluginDir, anthropicPluginDir, openaiPluginDir } from '../providers/provider-test-kit.js';

function configOf(llm: Record<string, unknown>): ConfigAccess {
  return { path: undefined, home: '/nonexistent-nexus-home', section: <T>(name: string) => (name === 'llm' ? (llm as T) : undefined) };
}

async function check(llm: Record<string, unknown>, env: Record<string, string> = {}): Promise<readonly DoctorFinding[]> {
  await using kernel = createTestKernel({ plugin: agentPluginDir, with: [openaiPluginDir, anthropicPluginDir], settings: { llm } });
  expect(kernel.contributions.names(DoctorChecks)).toContain('llm-providers');
  return await new ProviderSetupCheck(configOf(llm), kernel.contributions, env).run();
}

describe('doctor check llm-providers', () => {
  it('warns that every turn will fail when no provider is configured, and says how to configure one', async () => {
    const findings = await check({});
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ level: 'warning', message: 'no LLM provider is configured, so every turn will fail' });
    expect(findings[0]!.hint).toContain('set OPENAI_API_KEY or ANTHROPIC_API_KEY');
    expect(findings[0]!.hint).toContain('run `nexus onboard`');
  });

  it('gives YAML that pastes as it is: it parses, validates against the composed schema and sets a provider up', async () => {
    const [finding] = await check({});
    const hint = finding!.hint!;
    const pasted = hint.slice(hint.indexOf('\nllm:') + 1);
    const config = parseConfigText(pasted, join(tempDir('nexus-hint-'), 'nexus.yaml'), { env: {} });
    expect(config.diagnostics).toEqual([]);
    const kernel = new Kernel({ config, home: tempDir('nexus-home-'), workspaceDir: tempDir('nexus-ws-'), discoveryIndex: false, checkAllConfig: true });
    expect(configProblems(kernel).filter((d) => d.level === 'error')).toEqual([]);
    expect(await check(config.data.llm as Record<string, unknown>)).toEqual([]);
  });

  it('finds nothing to report when an API key in the environment sets a provider up', async () => {
    expect(await check({}, { OPENAI_API_KEY: 'sk-test' })).toEqual([]);
  });

  it('reports a default_provider that names no entry as an error', async () => {
    const findings = await check({ default_provider: 'local', providers: { other: { type: 'openai', base_url: 'http://127.0.0.1:9/v1', default_model: 'm' } } });
    expect(findings).toEqual([expect.objectContaining({ level: 'error', message: expect.stringContaining('every turn will fail: llm.default_provider is "local"') })]);
  });

  it('turns an unusable fallback into a warning', async () => {
    const findings = await check({ providers: { local: { type: 'openai', base_url: 'http://127.0.0.1:9/v1', default_model: 'm' } }, fallbacks: ['gone'] });
    expect(findings).toEqual([{ level: 'warning', message: expect.stringMatching(/^llm.fallbacks names "gone", which cannot be used; skipping it: llm.providers has no entry "gone"/) }]);
  });
});
