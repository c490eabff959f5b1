import { describe, expect, it } from 'vitest';
import type { AgentEvent, AgentRuntime, ContributionRegistry, InboundMessage, ModifyingHooks, OutboundMessage } from '@nexus/plugin-sdk';
import { UuidV7Generator } from '@nexus/plugin-sdk/storage';
import { ChannelRouter, MessageDroppedError, MessagePipeline, TurnRunner } from '../../../src/builtin-plugins/gateway/pipeline/index.js';
import { MemorySessionStore } from '../../../src/builtin-plugins/storage-memory/memory-session-store.js';
import { MemoryLogger } from '../../../src/kernel/index.js';
import { KernelHookBus } from '../../../src/kernel/runtime/hook-bus.js';
import { OwnedTasks } from '../../../src/kernel/runtime/task-tracker.js';

/** A runtime that answers every turn with "you said: <content>", so a test sees what the turn was given. */
const echoRuntime: AgentRuntime = {
  run: (turn) => ({
    async *[Symbol.asyncIterator](): AsyncGenerator<AgentEvent> {
      yield { type: 'done', text: `you said: ${turn.content}` };
    },
  }),
};

function gateway() {
  const logger = new MemoryLogger();
  const hooks = new KernelHookBus(logger, () => undefined, 1_000);
  const clock = { now: () => Date.now() };
  const store = new MemorySessionStore(clock, new UuidV7Generator());
  const received: string[] = [];
  hooks.subscribe('test', 'message.received', (m: { messageId: string }) => void received.push(m.messageId));
  const runner = new TurnRunner({ sessions: async () => store, runtime: async () => echoRuntime, hooks, clock, logger });
  const pipeline = new MessagePipeline(runner, async () => store, new OwnedTasks('gateway'), { maxConcurrentTurns: 4 });
  const sent: OutboundMessage[] = [];
  const contributions = {
    has: () => false,
    names: () => [],
    getAll: async () => [],
    get: async () => ({ send: async (message: OutboundMessage) => (sent.push(message), { deliveredAt: Date.now() }) }),
  } as unknown as ContributionRegistry;
  const router = new ChannelRouter({ contributions, pipeline, hooks, clock, logger, defaultAgentId: () => 'main' });
  return { hooks, store, pipeline, router, sent, received, logger };
}

const inbound = (content: string): InboundMessage => ({ channel: 'chat', accountId: 'bot', externalId: 'e1', senderId: 'ada', content, receivedAt: Date.now() });
type Receiving = ModifyingHooks['message.receiving'];
type Sending = ModifyingHooks['message.sending'];

describe('gateway pipeline: modifying hooks', () => {
  it('stores and answers the message as message.receiving rewrote it', async () => {
    const g = gateway();
    g.hooks.subscribe('moderation', 'message.receiving', (m: Receiving) => ({ ...m, content: m.content.replace('darn', '****'), metadata: { ...m.metadata, moderated: true } }));
    const session = await g.pipeline.resolveSession('main', 'api', 'ada');
    const outcome = await g.pipeline.submit({ session, channel: 'api', accountId: 'ada', content: 'darn it' });
    expect(outcome).toMatchObject({ status: 'done', inbound: { content: '**** it', metadata: expect.objectContaining({ moderated: true, channel: 'api' }) }, reply: { content: 'you said: **** it' } });
  });

  it('drops a message in message.receiving: nothing is stored, no turn runs, and the caller is told why', async () => {
    const g = gateway();
    g.hooks.subscribe('moderation', 'message.receiving', (m: Receiving) => (m.content.includes('spam') ? { ...m, drop: 'looks like spam' } : m));
    const session = await g.pipeline.resolveSession('main', 'api', 'ada');
    const dropped = g.pipeline.submit({ session, channel: 'api', accountId: 'ada', content: 'buy spam now' });
    await expect(dropped).rejects.toThrow(MessageDroppedError);
    await expect(dropped).rejects.toThrow('the message was not accepted: looks like spam');
    expect(await g.store.history(session.id, 10)).toEqual([]);
    expect(g.received).toEqual([]);
  });

  it('sends a channel reply as message.sending rewrote it, keeping the stored answer as the model wrote it', async () => {
    const g = gateway();
    g.hooks.subscribe('signature', 'message.sending', (m: Sending) => ({ ...m, content: `${m.content}\n-- sent by Nexus` }));
    await g.router.handle(inbound('hello'));
    expect(g.sent).toEqual([expect.objectContaining({ channel: 'chat', target: 'ada', content: 'you said: hello\n-- sent by Nexus' })]);
    const session = await g.pipeline.resolveSession('main', 'chat', 'ada');
    expect((await g.store.history(session.id, 10)).map((m) => m.content)).toEqual(['hello', 'you said: hello']);
  });

  it('sends nothing when message.sending cancels the reply, and does not count it as a failure', async () => {
    const g = gateway();
    const failed: unknown[] = [];
    g.hooks.subscribe('test', 'message.failed', (f: unknown) => void failed.push(f));
    g.hooks.subscribe('dlp', 'message.sending', (m: Sending) => ({ ...m, cancel: 'contains a card number' }));
    await g.router.handle(inbound('hello'));
    expect(g.sent).toEqual([]);
    expect(failed).toEqual([]);
    expect(g.logger.entries).toContainEqual(expect.objectContaining({ level: 'info', msg: 'a message.sending handler cancelled a reply; nothing was sent', fields: expect.objectContaining({ reason: 'contains a card number' }) }));
  });

  it('answers a channel message dropped by message.receiving with no reply and no failure', async () => {
    const g = gateway();
    const failed: unknown[] = [];
    g.hooks.subscribe('test', 'message.failed', (f: unknown) => void failed.push(f));
    g.hooks.subscribe('moderation', 'message.receiving', (m: Receiving) => ({ ...m, drop: 'blocked sender' }));
    await g.router.handle(inbound('hello'));
    expect(g.sent).toEqual([]);
    expect(failed).toEqual([]);
  });
});
