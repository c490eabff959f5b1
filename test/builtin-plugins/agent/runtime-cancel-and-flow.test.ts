import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { AgentRuntimeToken, type AgentEvent } from '@nexus/plugin-sdk';
import { abortion, agentKernel, call, calls, harness, ofType, says, type ScriptedCall } from './agent-test-kit.js';

describe('agent runtime: cancellation', () => {
  it('stops the provider request mid-stream and ends with a partial cancelled error', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    let providerSignal: AbortSignal | undefined;
    h.llm.script(async function* ({ signal }: ScriptedCall) {
      providerSignal = signal;
      yield { type: 'text_delta', text: 'Once upon a time' };
      await abortion(signal);
    });
    const controller = new AbortController();
    const runtime = await kernel.services.get(AgentRuntimeToken);

    const events: AgentEvent[] = [];
    for await (const event of runtime.run(h.turn('tell me a story'), { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'text_delta') controller.abort(new Error('user pressed stop'));
    }

    expect(providerSignal?.aborted).toBe(true);
    expect(events.at(-1)).toEqual({ type: 'error', code: 'cancelled', message: 'the turn was cancelled: user pressed stop', partial: true });
    expect(h.llm.hooks.at(-1)).toEqual(['turn.completed', expect.objectContaining({ outcome: 'cancelled', errorCode: 'cancelled' })]);
  });

  it('stops running tools when the turn is cancelled, without waiting for them to finish', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    h.llm.script(calls([call('sleep', { ms: 20_000 }, 'c1'), call('hang', {}, 'c2')]), says('never'));
    const controller = new AbortController();
    const runtime = await kernel.services.get(AgentRuntimeToken);

    const started = performance.now();
    const events: AgentEvent[] = [];
    for await (const event of runtime.run(h.turn('sleep'), { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'tool_call' && event.call.id === 'c2') setTimeout(() => controller.abort(new Error('shutting down')), 50);
    }

    expect(performance.now() - started).toBeLessThan(2_000);
    expect(h.llm.toolRuns.map((r) => r.abortedWith)).toEqual(['shutting down', 'shutting down']);
    expect(ofType(events, 'tool_result')).toEqual([]);
    expect(events.at(-1)).toEqual({ type: 'error', code: 'cancelled', message: 'the turn was cancelled: shutting down', partial: false });
    expect(h.llm.requests).toHaveLength(1);
  });

  it('cancels every running turn when the agent plugin stops, and a turn that ended earlier is not touched', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    const providerSignals: AbortSignal[] = [];
    const waitForStop = async function* ({ signal }: ScriptedCall) {
      providerSignals.push(signal);
      yield { type: 'text_delta' as const, text: 'working' };
      await abortion(signal);
    };
    h.llm.script(says('done early'), waitForStop, waitForStop);
    const runtime = await kernel.services.get(AgentRuntimeToken);
    const signal = new AbortController().signal;
    const read = async (content: string) => {
      const events: AgentEvent[] = [];
      for await (const event of runtime.run(h.turn(content), { signal })) events.push(event);
      return events;
    };

    const early = await read('first');
    const running = Promise.all([read('second'), read('third')]);
    while (providerSignals.length < 2) await sleep(5);
    await kernel.stop();
    const [second, third] = await running;

    expect(early.at(-1)).toEqual({ type: 'done', text: 'done early' });
    expect(providerSignals.map((s) => s.aborted)).toEqual([true, true]);
    for (const events of [second, third]) expect(events.at(-1)).toMatchObject({ type: 'error', code: 'cancelled', partial: true });
  });

  it('cancels the turn when the reader stops reading early', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    let providerSignal: AbortSignal | undefined;
    h.llm.script(async function* ({ signal }: ScriptedCall) {
      providerSignal = signal;
      for (let i = 0; i < 1_000; i++) {
        yield { type: 'text_delta', text: `${i} ` };
        await sleep(1);
      }
    });
    const runtime = await kernel.services.get(AgentRuntimeToken);

    for await (const event of runtime.run(h.turn('count'), { signal: new AbortController().signal })) {
      if (event.type === 'text_delta') break;
    }

    await expect.poll(() => h.llm.hooks.at(-1)?.[0]).toBe('turn.completed');
    expect(providerSignal?.aborted).toBe(true);
    expect(h.llm.hooks.at(-1)![1]).toMatchObject({ outcome: 'cancelled' });
  });
});

describe('agent runtime: backpressure', () => {
  it('never runs more than agent.event_buffer events ahead of a slow reader', async () => {
    const bound = 4;
    await using kernel = agentKernel({ settings: { agent: { event_buffer: bound } } });
    const h = await harness(kernel);
    h.llm.script(says(...Array.from({ length: 200 }, (_, i) => `${i} `)));
    const runtime = await kernel.services.get(AgentRuntimeToken);

    let read = 0;
    let worstLead = 0;
    for await (const event of runtime.run(h.turn('count slowly'), { signal: AbortSignal.timeout(20_000) })) {
      read++;
      if (read % 20 === 1) {
        // Give the producer every chance to run ahead while we dawdle.
        await sleep(30);
        // Provider events yielded but not yet read; the runtime's own attempt event is read but not produced.
        worstLead = Math.max(worstLead, h.llm.produced.count - (read - 1));
      }
      if (event.type === 'done') break;
    }

    // `bound` buffered, plus the one event the runtime holds while it waits for room.
    expect(worstLead).toBeGreaterThan(0);
    expect(worstLead).toBeLessThanOrEqual(bound + 1);
    expect(h.llm.produced.count).toBe(202);
  });
});

describe('agent runtime: failures that end the turn', () => {
  it('reports a missing provider setup as a no_provider error at the first turn, with how to fix it', async () => {
    await using kernel = agentKernel({ settings: { llm: {} } });
    await kernel.activate();
    expect(kernel.summary().state).toBe('active');
    const h = await harness(kernel);

    const events = await h.run(h.turn('hello?'));

    expect(events).toEqual([{ type: 'error', code: 'no_provider', message: expect.stringContaining('No LLM provider is configured'), partial: false }]);
    expect((events[0] as { message: string }).message).toContain('nexus onboard');
  });

  it('reports a provider failure with its reason as the error code, partial once text was streamed', async () => {
    const { ProviderError } = await import('@nexus/plugin-sdk');
    await using kernel = agentKernel();
    const h = await harness(kernel);
    h.llm.script(async function* () {
      yield { type: 'text_delta', text: 'Half an ans' };
      throw new ProviderError({ reason: 'content_filter', provider: 'scripted', model: 'model-a', status: 400, code: 'content_filter', message: 'output blocked' });
    });

    const events = await h.run(h.turn('say something rude'));

    expect(events.at(-1)).toEqual({
      type: 'error',
      code: 'content_filter',
      message: '[content_filter] scripted model=model-a status=400 code=content_filter: output blocked',
      partial: true,
    });
    expect(h.llm.hooks.at(-1)![1]).toMatchObject({ outcome: 'error', errorCode: 'content_filter' });
  });

  it('reports a non-retryable provider failure before any text as not partial', async () => {
    const { ProviderError } = await import('@nexus/plugin-sdk');
    await using kernel = agentKernel();
    const h = await harness(kernel);
    h.llm.script(async function* () {
      yield* [];
      throw new ProviderError({ reason: 'invalid_request', provider: 'scripted', status: 400, message: 'messages: field required' });
    });

    const events = await h.run(h.turn('hi'));

    expect(events.map((e) => e.type)).toEqual(['attempt', 'error']);
    expect(events.at(-1)).toMatchObject({ code: 'invalid_request', partial: false });
  });
});
