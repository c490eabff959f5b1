import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliCommands } from '@nexus/plugin-sdk';
import type { TestKernel } from '../../../src/kernel/testing/index.js';
import { openaiBaseUrl, startFakeOpenAI, textReply } from '../../fixtures/llm-servers/index.js';
import { createApiKey, gatewayKernel, JWT_SECRET, startGateway, type CommandRun } from './gateway-test-kit.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
const agentPlugins = [join(builtins, 'agent'), join(builtins, 'openai'), join(builtins, 'workspace')];

async function runChat(kernel: TestKernel, argv: readonly string[]): Promise<CommandRun> {
  const command = await kernel.contributions.get(CliCommands, 'chat');
  let stdout = '';
  let stderr = '';
  const code = await command.run({ argv, configPath: undefined, signal: AbortSignal.timeout(20_000), stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

function llmSettings(baseUrl: string) {
  return { llm: { default_provider: 'openai', providers: { openai: { base_url: baseUrl, api_key: 'sk-test', default_model: 'gpt-test' } } } };
}

describe('nexus chat', () => {
  it('--embedded -m runs its own gateway, streams the reply to stdout and exits 0', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('Hello', ', ', 'Ada'));
    const kernel = gatewayKernel({ settings: llmSettings(openaiBaseUrl(llm)), with: agentPlugins });
    const run = await runChat(kernel, ['--embedded', '-m', 'hi there']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('Hello, Ada\n');
    expect(JSON.stringify(llm.streamRequests[0]!.body)).toContain('hi there');
  });

  it('talks to a running gateway with an API key and continues the same session', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('first'), textReply('second'));
    const gateway = await startGateway({ settings: llmSettings(openaiBaseUrl(llm)), with: agentPlugins });
    const { key } = await createApiKey(gateway.kernel, 'cli', 'ada');
    const address = ['--address', gateway.target, '--api-key', key];
    expect((await runChat(gateway.kernel, [...address, '-m', 'one'])).stdout).toBe('first\n');
    expect((await runChat(gateway.kernel, [...address, '-m', 'two'])).stdout).toBe('second\n');
    // The second turn saw the first: the caller's own session carries the history.
    const sent = JSON.stringify(llm.streamRequests[1]!.body);
    expect(sent).toContain('one');
    expect(sent).toContain('first');
  });

  it('says how to authenticate when the gateway refuses anonymous calls', async () => {
    const gateway = await startGateway({ settings: { auth: { jwt_secret: JWT_SECRET } }, with: agentPlugins });
    const run = await runChat(gateway.kernel, ['--address', gateway.target, '-m', 'hi']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refused the credentials.*--api-key/);
  });

  it('says how to start a gateway when nothing listens', async () => {
    const kernel = gatewayKernel({ with: agentPlugins });
    const run = await runChat(kernel, ['--address', '127.0.0.1:1', '-m', 'hi']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot reach the gateway at 127\.0\.0\.1:1.*nexus serve.*--embedded/);
  });

  it('rejects bad arguments with usage and exit 2', async () => {
    const kernel = gatewayKernel({ with: agentPlugins });
    for (const argv of [['--address', 'nohost'], ['--embedded', '--address', '127.0.0.1:1'], ['-m', ' '], ['--bogus']]) {
      const run = await runChat(kernel, argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toContain('usage: nexus chat');
    }
  });
});
