import { describe, expect, it } from 'vitest';
import { SAFETY_TEXT } from '../../../src/builtin-plugins/agent/prompt/safety-section.js';
import { agentKernel, call, calls, harness, ofType, says } from './agent-test-kit.js';

describe('agent runtime: the loop', () => {
  it('streams the answer as text deltas, then usage, then done with the whole answer', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    h.llm.script(says('Hel', 'lo', '!'));

    const events = await h.run(h.turn('hi'));

    expect(events.map((e) => e.type)).toEqual(['attempt', 'text_delta', 'text_delta', 'text_delta', 'usage', 'done']);
    expect(events[0]).toEqual({ type: 'attempt', candidate: { provider: 'scripted', model: 'model-a' }, attempt: 1, iteration: 1 });
    expect(ofType(events, 'text_delta').map((e) => e.text).join('')).toBe('Hello!');
    expect(ofType(events, 'usage')[0]).toEqual({ type: 'usage', usage: { inputTokens: 10, outputTokens: 3 }, provider: 'scripted', model: 'model-a' });
    expect(events.at(-1)).toEqual({ type: 'done', text: 'Hello!' });
  });

  it('sends the assembled system prompt, the tools and the message to the model', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    h.llm.script(says('ok'));

    await h.run(h.turn('what time is it?'));

    const [request] = h.llm.requests;
    expect(request!.system).toBe(SAFETY_TEXT);
    expect(request!.model).toBe('model-a');
    expect(request!.tools?.map((t) => t.name).sort()).toEqual(['echo', 'fail', 'hang', 'sleep', 'strict']);
    expect(request!.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'what time is it?' }] }]);
  });

  it('uses the request\'s system prompt instead of the assembled one when it overrides it', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    h.llm.script(says('ok'));

    await h.run(h.turn('hi', { systemPromptOverride: 'You are a terse test double.' }));
    await h.run(h.turn('hi again', { systemPromptOverride: '   ' }));

    expect(h.llm.requests.map((r) => r.system)).toEqual(['You are a terse test double.', SAFETY_TEXT]);
  });

  it('runs tool calls and feeds their results back over several iterations until the final answer', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    h.llm.script(
      calls([call('echo', { text: 'first' }, 'c1')], 'Let me check. '),
      calls([call('echo', { text: 'second' }, 'c2')]),
      says('Both said hello.'),
    );

    const events = await h.run(h.turn('run both'));

    expect(events.filter((e) => e.type !== 'usage' && e.type !== 'attempt').map((e) => e.type)).toEqual([
      'text_delta',
      'tool_call',
      'tool_result',
      'tool_call',
      'tool_result',
      'text_delta',
      'done',
    ]);
    expect(ofType(events, 'tool_result')).toEqual([
      { type: 'tool_result', callId: 'c1', name: 'echo', content: 'first', isError: false },
      { type: 'tool_result', callId: 'c2', name: 'echo', content: 'second', isError: false },
    ]);
    expect(ofType(events, 'attempt').map((e) => e.iteration)).toEqual([1, 2, 3]);
    expect(events.at(-1)).toEqual({ type: 'done', text: 'Both said hello.' });
    expect(h.llm.requests).toHaveLength(3);
    expect(h.llm.requests[2]!.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'run both' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me check. ' }, { type: 'tool_call', call: { id: 'c1', name: 'echo', input: { text: 'first' } } }] },
      { role: 'user', content: [{ type: 'tool_result', callId: 'c1', content: 'first', isError: false }] },
      { role: 'assistant', content: [{ type: 'tool_call', call: { id: 'c2', name: 'echo', input: { text: 'second' } } }] },
      { role: 'user', content: [{ type: 'tool_result', callId: 'c2', content: 'second', isError: false }] },
    ]);
  });

  it('runs the independent calls of one response concurrently and returns results in call order', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    h.llm.script(calls([call('sleep', { ms: 300 }, 'slow'), call('sleep', { ms: 150 }, 'quick')]), says('done'));

    const events = await h.run(h.turn('sleep twice'));

    const [slow, quick] = h.llm.toolRuns;
    // Overlap, measured on the runs themselves rather than the wall clock (which a loaded machine
    // stretches): the second started before the first ended, and finished first.
    expect(quick!.startedAt).toBeLessThan(slow!.endedAt!);
    expect(quick!.endedAt!).toBeLessThan(slow!.endedAt!);
    // Results stream as each finishes, but go back to the model in the order it asked.
    expect(ofType(events, 'tool_result').map((e) => e.callId)).toEqual(['quick', 'slow']);
    expect(h.llm.requests[1]!.messages.at(-1)!.content.map((p) => (p.type === 'tool_result' ? p.callId : p.type))).toEqual(['slow', 'quick']);
  });

  it('applies schema defaults to tool input before the tool runs', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    h.llm.script(calls([call('echo', {}, 'c1')]), says('ok'));

    const events = await h.run(h.turn('echo nothing'));

    expect(ofType(events, 'tool_result')[0]).toMatchObject({ content: 'nothing', isError: false });
  });

  it('ends the turn with max_iterations when the model keeps calling tools', async () => {
    await using kernel = agentKernel({ settings: { agent: { max_iterations: 3 } } });
    const h = await harness(kernel);
    h.llm.script(calls([call('echo', { text: 'again' })]));

    const events = await h.run(h.turn('loop forever'));

    expect(h.llm.requests).toHaveLength(3);
    expect(events.at(-1)).toEqual({
      type: 'error',
      code: 'max_iterations',
      message: expect.stringContaining('after 3 model calls (agent.max_iterations)'),
      partial: false,
    });
  });

  it('fires turn.started, tool.executed and turn.completed with what happened', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    h.llm.script(calls([call('echo', { text: 'x' }), call('fail', {})]), says('ok'));

    await h.run(h.turn('hooks'));

    const where = { sessionId: h.session.id, agentId: 'main', channel: 'test' };
    expect(h.llm.hooks.map(([name]) => name)).toEqual(['turn.started', 'tool.executed', 'tool.executed', 'turn.completed']);
    expect(h.llm.hooks[0]![1]).toEqual(where);
    const executed = h.llm.hooks.filter(([name]) => name === 'tool.executed').map(([, p]) => p as { tool: string; isError: boolean });
    expect(executed.map((p) => [p.tool, p.isError]).sort()).toEqual([['echo', false], ['fail', true]]);
    expect(h.llm.hooks.at(-1)![1]).toEqual({
      ...where,
      durationMs: expect.any(Number),
      outcome: 'done',
      iterations: 2,
      usage: { inputTokens: 30, outputTokens: 6 },
      provider: 'scripted',
      model: 'model-a',
    });
  });
});
