import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, textReply } from '../fixtures/llm-servers/index.js';
import { fakeLlm, nexusInstance } from './serve-harness.js';

describe('e2e: nexus chat --embedded', { timeout: 60_000 }, () => {
  it('prints the reply and nothing of the gateway it runs in-process, unless logging.level asks for info', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('hello from the model'));
    const quiet = nexusInstance({ llm: fakeLlm(llm) });
    const run = await quiet.cli(['chat', '--embedded', '-m', 'hi']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('hello from the model');
    // The in-process gateway's "listening" info line is not the command's output.
    expect(run.stderr).toBe('');

    llm.push(textReply('hello again'));
    const chatty = nexusInstance({ llm: fakeLlm(llm), logging: { level: 'info' } });
    const verbose = await chatty.cli(['chat', '--embedded', '-m', 'hi']);
    expect(verbose.code).toBe(0);
    expect(verbose.stdout.trim()).toBe('hello again');
    expect(verbose.stderr).toContain('gRPC API listening');
  });
});
