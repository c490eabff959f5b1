import { describe, expect, it } from 'vitest';
import type { AgentEvent, AgentRuntime, HookBus, SessionStore } from '@nexus/plugin-sdk';
import { MessagePipeline, TurnRunner } from '../../../src/builtin-plugins/gateway/pipeline/index.js';
import { MemorySessionStore } from '../../../src/builtin-plugins/storage-memory/memory-session-store.js';
import { UuidV7Generator } from '@nexus/plugin-sdk/storage';
import { MemoryLogger } from '../../../src/kernel/index.js';
import { OwnedTasks } from '../../../src/kernel/runtime/task-tracker.js';

/** A runtime that says "working" and then waits until its turn's signal aborts. */
const waitingRuntime: AgentRuntime = {
  run: (_turn, { signal }) => ({
    async *[Symbol.asyncIterator](): AsyncGenerator<AgentEvent> {
      yield { type: 'text_delta', text: 'working' };
      await new Promise((resolve) => (signal.aborted ? resolve(undefined) : signal.addEventListener('abort', resolve, { once: true })));
      yield { type: 'error', code: 'cancelled', message: 'the turn was cancelled', partial: true };
    },
  }),
};

const noHooks: HookBus = { emit: async () => undefined, modify: async (_name, value) => value };

function pipelineWith(store: SessionStore): MessagePipeline {
  const clock = { now: () => Date.now() };
  const runner = new TurnRunner({ sessions: async () => store, runtime: async () => waitingRuntime, hooks: noHooks, clock, logger: new MemoryLogger() });
  return new MessagePipeline(runner, async () => store, new OwnedTasks('gateway'), { maxConcurrentTurns: 4 });
}

describe('message pipeline: callers', () => {
  it('cuts off a caller\'s running and queued turns at the drain deadline, storing both as interrupted', async () => {
    const store = new MemorySessionStore({ now: () => Date.now() }, new UuidV7Generator());
    const pipeline = pipelineWith(store);
    const session = await store.create({ agentId: 'main', channel: 'api', key: 'main:api:ada' });
    const caller = pipeline.openCaller();
    const request = (content: string) => ({ session, channel: 'api', accountId: 'ada', content, signal: caller.signal });

    const running = pipeline.submit(request('first'));
    const queued = pipeline.submit(request('second'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { finished } = await pipeline.drain(10);

    expect(finished).toBe(false);
    expect(caller.signal.aborted).toBe(true);
    expect(await running).toMatchObject({ status: 'interrupted', reply: { content: 'working' } });
    expect(await queued).toMatchObject({ status: 'interrupted' });
    expect((await store.history(session.id, 10)).map((m) => [m.role, m.content])).toEqual([
      ['user', 'first'],
      ['assistant', 'working'],
      ['user', 'second'],
      ['assistant', 'working'],
    ]);
  });

  it('records a turn the caller cancelled as cancelled, and never starts one queued behind it', async () => {
    const store = new MemorySessionStore({ now: () => Date.now() }, new UuidV7Generator());
    const pipeline = pipelineWith(store);
    const session = await store.create({ agentId: 'main', channel: 'api', key: 'main:api:bo' });
    const caller = pipeline.openCaller();
    const request = (content: string) => ({ session, channel: 'api', accountId: 'bo', content, signal: caller.signal });

    const running = pipeline.submit(request('first'));
    const queued = pipeline.submit(request('second'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    caller.cancel(new Error('the client cancelled the stream'));

    expect(await running).toMatchObject({ status: 'cancelled' });
    await expect(queued).rejects.toThrow('the client cancelled the stream');
    expect((await store.history(session.id, 10)).map((m) => m.content)).toEqual(['first', 'working']);
  });

  it('leaves a caller that closed before the cut-off alone, and hands one opened after it an aborted signal', async () => {
    const store = new MemorySessionStore({ now: () => Date.now() }, new UuidV7Generator());
    const pipeline = pipelineWith(store);
    const session = await store.create({ agentId: 'main', channel: 'api', key: 'main:api:cy' });
    const busy = pipeline.openCaller();
    const gone = pipeline.openCaller();
    gone.close();
    const running = pipeline.submit({ session, channel: 'api', accountId: 'cy', content: 'hi', signal: busy.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await pipeline.drain(10);
    await running;
    expect(busy.signal.aborted).toBe(true);
    expect(gone.signal.aborted).toBe(false);
    expect(pipeline.openCaller().signal.aborted).toBe(true);
  });
});
