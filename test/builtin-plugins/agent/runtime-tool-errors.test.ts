import { describe, expect, it } from 'vitest';
import { agentKernel, call, calls, harness, ofType, says } from './agent-test-kit.js';

/** The tool result the model received in its second request. */
function resultSent(requests: readonly { messages: readonly { role: string; content: readonly unknown[] }[] }[]): unknown {
  return requests[1]!.messages.at(-1)!.content[0];
}

describe('agent runtime: tool failures go back to the model', () => {
  it('answers an unknown tool with an error result listing the available tools', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    h.llm.script(calls([call('teleport', { to: 'mars' }, 'c1')]), says('Sorry, I cannot teleport.'));

    const events = await h.run(h.turn('go to mars'));

    const expected = { callId: 'c1', content: 'Unknown tool "teleport". The available tools are: sleep, echo, fail, hang, strict.', isError: true };
    expect(ofType(events, 'tool_result')).toEqual([{ type: 'tool_result', name: 'teleport', ...expected }]);
    expect(resultSent(h.llm.requests)).toEqual({ type: 'tool_result', ...expected });
    expect(events.at(-1)).toEqual({ type: 'done', text: 'Sorry, I cannot teleport.' });
  });

  it('rejects input that does not match the schema without running the tool, saying what is wrong', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    h.llm.script(calls([call('strict', { count: 'three', colour: 'red' }, 'c1'), call('strict', {}, 'c2')]), says('ok'));

    const events = await h.run(h.turn('count'));

    const results = ofType(events, 'tool_result').sort((a, b) => a.callId.localeCompare(b.callId));
    expect(results[0]).toMatchObject({ isError: true, content: expect.stringMatching(/^Invalid input for tool "strict": /) });
    expect(results[0]!.content).toContain('input has an unexpected property "colour"');
    expect(results[0]!.content).toContain('input/count must be integer');
    expect(results[0]!.content).toContain('call it again with input that matches its schema');
    expect(results[1]!.content).toContain('input is missing the required property "count"');
    expect(h.llm.toolRuns).toEqual([]);
    expect(events.at(-1)).toEqual({ type: 'done', text: 'ok' });
  });

  it('reports a tool that throws as an error result with its message, and carries on', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    h.llm.script(calls([call('fail', {}, 'c1')]), says('The disk is on fire.'));

    const events = await h.run(h.turn('check the disk'));

    expect(ofType(events, 'tool_result')).toEqual([{ type: 'tool_result', callId: 'c1', name: 'fail', content: 'Tool "fail" failed: disk on fire', isError: true }]);
    expect(resultSent(h.llm.requests)).toMatchObject({ content: 'Tool "fail" failed: disk on fire', isError: true });
    expect(events.at(-1)).toEqual({ type: 'done', text: 'The disk is on fire.' });
    expect(kernel.logs.some((l) => l.level === 'warn' && l.msg.includes('tool fail failed: disk on fire'))).toBe(true);
  });

  it('stops a tool at its own timeout, aborting its signal, and tells the model', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    h.llm.script(calls([call('hang', {}, 'c1')]), says('It hung.'));

    const started = performance.now();
    const events = await h.run(h.turn('hang'));

    expect(performance.now() - started).toBeLessThan(2_000);
    expect(ofType(events, 'tool_result')[0]).toMatchObject({ content: 'Tool "hang" did not finish within 100 ms and was stopped.', isError: true });
    expect(h.llm.toolRuns[0]!.abortedWith).toBe('tool hang timed out after 100 ms');
    expect(events.at(-1)).toEqual({ type: 'done', text: 'It hung.' });
  });

  it('applies agent.tool_timeout to tools that set no timeout of their own', async () => {
    await using kernel = agentKernel({ settings: { agent: { tool_timeout: '80ms' } } });
    const h = await harness(kernel);
    h.llm.script(calls([call('sleep', { ms: 5_000 }, 'c1')]), says('Too slow.'));

    const events = await h.run(h.turn('sleep long'));

    expect(ofType(events, 'tool_result')[0]).toMatchObject({ content: 'Tool "sleep" did not finish within 80 ms and was stopped.', isError: true });
    // The tool honoured its signal, so it ended (early) too.
    expect(h.llm.toolRuns[0]!.endedAt! - h.llm.toolRuns[0]!.startedAt).toBeLessThan(1_000);
  });

  it('keeps the other calls of a response when one of them fails', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    h.llm.script(calls([call('fail', {}, 'a'), call('echo', { text: 'fine' }, 'b'), call('nope', {}, 'c')]), says('mixed'));

    await h.run(h.turn('mixed bag'));

    const sent = h.llm.requests[1]!.messages.at(-1)!.content;
    expect(sent.map((p) => (p.type === 'tool_result' ? [p.callId, p.isError] : p.type))).toEqual([
      ['a', true],
      ['b', false],
      ['c', true],
    ]);
  });
});
