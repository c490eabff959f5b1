import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestHost } from '@nexus/plugin-sdk/testing';
import { requireFreshBuild } from '../e2e/harness/build-check.js';

const greeter = join(import.meta.dirname, '../fixtures/plugins/greeter');
const toolGuard = join(import.meta.dirname, '../fixtures/plugins/tool-guard');

/** What a plugin author's own test does with the SDK's test host, against the built host. */
describe('the SDK test host', () => {
  it('serves a plugin route through the real dispatch, enforcing its auth policy', async () => {
    requireFreshBuild();
    await using host = await startTestHost({ plugin: greeter });
    // Once a credential exists, a token route needs one (before that, loopback callers are anonymous).
    const key = await host.apiKey();
    expect((await host.request({ path: '/greeter' })).status).toBe(401);
    expect((await host.request({ path: '/greeter', headers: { 'x-api-key': 'nxk_wrong_key_0000000000' } })).status).toBe(401);
    const answer = await host.request({ path: '/greeter', headers: { 'x-api-key': key } });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ hello: 'test-1' });
  });

  it('places a prompt section by its order among the built-in sections', async () => {
    requireFreshBuild();
    await using host = await startTestHost({ plugin: greeter });
    const prompt = await host.prompt();
    const names = prompt.sections.map((s) => s.name);
    expect(prompt.sections.find((s) => s.name === 'greeting')).toMatchObject({ pluginId: 'greeter', text: 'Greet people warmly.' });
    // Order 150 lands after the identity (100) and before the safety rules (900).
    expect(names.indexOf('greeting')).toBeLessThan(names.indexOf('safety'));
    expect(prompt.failed).toEqual([]);
  });

  it('runs a turn in which the scripted model calls the plugin tool and answers with its result, firing the hook', async () => {
    requireFreshBuild();
    await using host = await startTestHost({
      plugin: greeter,
      config: { salutation: 'Hi' },
      model: [{ toolCalls: [{ name: 'greet', input: { name: 'Ada' } }] }, 'The tool said hi to Ada.'],
    });
    const turn = await host.turn('greet Ada please');
    expect(turn.toolCalls).toEqual([{ name: 'greet', input: { name: 'Ada' }, result: 'Hi, Ada!', isError: false }]);
    expect(turn.text).toBe('The tool said hi to Ada.');
    const [first, second] = host.modelRequests();
    expect(first!.tools).toContain('greet');
    expect(first!.system).toContain('Greet people warmly.');
    expect(JSON.stringify(second!.messages)).toContain('Hi, Ada!');
    const key = await host.apiKey();
    expect((await host.request({ path: '/greeter', headers: { 'x-api-key': key } })).json()).toMatchObject({ turns: ['done'] });
  });

  it('validates tool input against the declared schema before the tool runs', async () => {
    requireFreshBuild();
    await using host = await startTestHost({ plugin: greeter });
    expect(await host.callTool('greet', { name: 'Grace' })).toEqual({ content: 'Hello, Grace!' });
    expect(await host.callTool('greet', { name: '' })).toMatchObject({ isError: true, content: expect.stringMatching(/invalid input for tool greet/) });
  });

  it('reports a turn the model fails as an error, not an answer', async () => {
    requireFreshBuild();
    await using host = await startTestHost({ plugin: greeter, model: [{ error: { status: 400, message: 'bad request' } }] });
    const turn = await host.turn('hello');
    expect(turn.text).toBeUndefined();
    expect(turn.error).toMatchObject({ code: 'invalid_request' });
  });

  it('lets a plugin test check its modifying hooks: a tool.before deny is what the scripted model sees, and the tool never runs', async () => {
    requireFreshBuild();
    await using host = await startTestHost({
      plugin: toolGuard,
      config: { blocked: ['lookup'] },
      model: [{ toolCalls: [{ name: 'lookup', input: { key: 'door' } }] }, 'I may not look that up.'],
    });
    const turn = await host.turn('what is the door code?');
    expect(turn.toolCalls).toEqual([{ name: 'lookup', input: { key: 'door' }, result: 'Tool "lookup" was not run: lookup is blocked by the tool-guard policy', isError: true }]);
    expect(JSON.stringify(host.modelRequests()[1]!.messages)).toContain('lookup is blocked by the tool-guard policy');
    expect(JSON.stringify(host.modelRequests()[1]!.messages)).not.toContain('secret value');
    expect(turn.text).toBe('I may not look that up.');
    // prompt.build put the plugin's notice first.
    expect(host.modelRequests()[0]!.system).toMatch(/^Some tools are restricted here\./);
  });

  it('runs a modifying hook directly through host.hooks, activating the plugin that declares it', async () => {
    requireFreshBuild();
    await using host = await startTestHost({ plugin: toolGuard, config: { redact: 'secret' } });
    const after = await host.hooks.modify('tool.after', {
      sessionId: 's',
      agentId: 'main',
      channel: 'test',
      tool: 'lookup',
      callId: 'c1',
      input: { key: 'door' },
      result: { content: 'secret value of door', isError: false },
    });
    expect(after.result).toEqual({ content: '[redacted] value of door', isError: false });
    expect(host.state().state).toBe('active');
  });
});
