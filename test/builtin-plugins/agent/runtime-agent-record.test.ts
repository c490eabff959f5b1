import { describe, expect, it } from 'vitest';
import { AgentStoreToken } from '@nexus/plugin-sdk';
import { agentKernel, harness, says } from './agent-test-kit.js';

describe('agent runtime: the session\'s stored agent', () => {
  it('runs the turn with the agent\'s model and its instructions ahead of the assembled prompt', async () => {
    await using kernel = agentKernel({ workspace: true });
    const h = await harness(kernel);
    const agents = await kernel.services.get(AgentStoreToken);
    const agent = await agents.create({ userId: 'ada', name: 'pirate', systemPrompt: '  Answer like a pirate.  ', model: 'model-b' });
    h.llm.script(says('Arr.'));
    h.llm.script(says('Hello.'));

    await h.run(h.turn('hi', { agentId: agent.id }));
    await h.run(h.turn('hi'));

    const [own, plain] = h.llm.requests;
    expect(own!.model).toBe('model-b');
    expect(plain!.model).toBe('model-a');
    expect(plain!.system).not.toContain('pirate');
    expect(own!.system).toBe(`Answer like a pirate.\n\n${plain!.system}`);
  });

  it('keeps the configured prompt and model for an agent without them, and a turn override still wins', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    const agent = await (await kernel.services.get(AgentStoreToken)).create({ userId: 'ada', name: 'plain' });
    h.llm.script(says('one'));
    h.llm.script(says('two'));

    await h.run(h.turn('hi', { agentId: agent.id }));
    await h.run(h.turn('hi', { agentId: agent.id, systemPromptOverride: 'Only this.' }));

    expect(h.llm.requests.map((r) => r.model)).toEqual(['model-a', 'model-a']);
    expect(h.llm.requests[1]!.system).toBe('Only this.');
  });

  it('runs with the configured prompt and model when the agent is gone, and says so in the log', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    const agents = await kernel.services.get(AgentStoreToken);
    const agent = await agents.create({ userId: 'ada', name: 'gone', systemPrompt: 'Be brief.', model: 'model-b' });
    await agents.delete(agent.id);
    h.llm.script(says('ok'));

    const events = await h.run(h.turn('hi', { agentId: agent.id }));

    expect(events.at(-1)).toEqual({ type: 'done', text: 'ok' });
    expect(h.llm.requests[0]!.model).toBe('model-a');
    expect(h.llm.requests[0]!.system).not.toContain('Be brief.');
    expect(kernel.logs.find((l) => l.level === 'warn' && l.msg.startsWith(`cannot read the session's agent ${agent.id}`))?.msg).toMatch(/not found.*the turn runs with the configured prompt and model/);
  });
});
