import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, textReply, type StreamReply } from '../fixtures/llm-servers/index.js';
import { call, connectClients, fakeLlm, nexusInstance, openStream, sentToModel, storedMessages, type GatewayStream } from './serve-harness.js';

/** Where in `stream.received` the first message about `messageId` arrived, and the last. */
function span(stream: GatewayStream, messageId: string): { first: number; last: number } {
  const indices = stream.received.flatMap((m, i) => ((m.payload?.value as { messageId?: string } | undefined)?.messageId === messageId ? [i] : []));
  return { first: indices[0]!, last: indices.at(-1)! };
}

async function eventually<T>(probe: () => T, accept: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('e2e: concurrent sessions', { timeout: 90_000 }, () => {
  it('runs turns of different sessions at the same time, each stream getting its own complete answer', async () => {
    // More than Node's default of 10 listeners per signal: every running turn listens for shutdown.
    const N = 12;
    await using llm = await startFakeOpenAI();
    // Replies go out in the order requests arrive; each is slow to start, so they overlap.
    for (let i = 0; i < N; i++) llm.push({ kind: 'stream', text: ['answer ', `#${i}`], delayMs: 2500, chunkDelayMs: 20 });
    const nexus = nexusInstance({ llm: fakeLlm(llm) });
    const server = await nexus.serve();
    const { sessions } = connectClients(server.target);
    const ids = await Promise.all(Array.from({ length: N }, (_, k) => call(sessions, 'createSession', { agentId: '', channel: '', channelId: `conversation-${k}`, title: '', metadata: {} }).then((s) => s.id)));

    const streams = ids.map((id, k) => {
      const stream = openStream(server.target);
      stream.send(`question-${k}`, { sessionId: id });
      return stream;
    });
    // Every turn reached the model before the first reply was done: they ran in parallel.
    await eventually(() => llm.streamRequests.length, (n) => n === N, 'requests at the fake model');
    expect(llm.streamRequests.filter((r) => r.completed)).toHaveLength(0);

    const ends = await Promise.all(streams.map((s) => s.turnEnds(1)));
    for (let k = 0; k < N; k++) {
      // Which request carried question k tells which scripted answer belongs to stream k.
      const request = llm.streamRequests.findIndex((r) => JSON.stringify(r.body).includes(`question-${k}`));
      const end = ends[k]![0]!;
      expect(end.$case).toBe('messageComplete');
      if (end.$case !== 'messageComplete') continue;
      expect(end.value.sessionId).toBe(ids[k]);
      expect(end.value.message?.content).toBe(`answer #${request}`);
      expect(streams[k]!.text(end.value.messageId)).toBe(`answer #${request}`);
      // Nothing of another session's turns reached this stream.
      expect(streams[k]!.all('messageChunk').every((c) => c.sessionId === ids[k])).toBe(true);
    }
    for (const [k, id] of ids.entries()) {
      expect(storedMessages(nexus.home, `main:api:conversation-${k}`).map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(id).not.toBe('');
    }
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    // Many turns at once are load, not a listener leak: no MaxListenersExceededWarning.
    expect(server.stderr()).not.toContain('MaxListenersExceeded');
  });
});

describe('e2e: per-session ordering', { timeout: 90_000 }, () => {
  it('runs two messages sent back to back on one session in order, the second turn seeing the first in its history', async () => {
    await using llm = await startFakeOpenAI();
    llm.push({ kind: 'stream', text: ['first ', 'reply'], delayMs: 300, chunkDelayMs: 200 }, textReply('second reply'));
    const nexus = nexusInstance({ llm: fakeLlm(llm) });
    const server = await nexus.serve();

    const stream = openStream(server.target);
    stream.send('message one');
    stream.send('message two');
    const [first, second] = await stream.turnEnds(2);
    expect(first).toMatchObject({ $case: 'messageComplete', value: { message: { content: 'first reply' } } });
    expect(second).toMatchObject({ $case: 'messageComplete', value: { message: { content: 'second reply' } } });
    // The second turn's first message came after the first turn's message_complete.
    expect(span(stream, second!.value.messageId).first).toBeGreaterThan(span(stream, first!.value.messageId).last);

    expect(sentToModel(llm, 0)).toContain('message one');
    expect(sentToModel(llm, 0)).not.toContain('message two');
    for (const earlier of ['message one', 'first reply', 'message two']) expect(sentToModel(llm, 1)).toContain(earlier);
    expect(storedMessages(nexus.home, 'main:api:local').map((m) => m.content)).toEqual(['message one', 'first reply', 'message two', 'second reply']);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});

describe('e2e: client cancel', { timeout: 90_000 }, () => {
  it('stops the turn when the client cancels mid-stream: the model connection closes and the partial reply is stored as cancelled', async () => {
    await using llm = await startFakeOpenAI();
    const slow: StreamReply = { kind: 'stream', text: Array.from({ length: 40 }, (_, i) => `w${i} `), chunkDelayMs: 150 };
    llm.push(slow, textReply('still here'));
    const nexus = nexusInstance({ llm: fakeLlm(llm) });
    const server = await nexus.serve();

    const stream = openStream(server.target);
    stream.send('tell me a long story');
    await stream.until(() => stream.all('messageChunk').length >= 2, 'two chunks');
    stream.call.cancel();

    const request = llm.streamRequests[0]!;
    await Promise.race([request.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('the model connection stayed open after the cancel')), 5_000))]);
    expect(request.completed).toBe(false);

    const stored = await eventually(() => storedMessages(nexus.home, 'main:api:local'), (rows) => rows.length === 2, 'stored messages');
    expect(stored[0]).toMatchObject({ role: 'user', content: 'tell me a long story' });
    expect(stored[1]).toMatchObject({ role: 'assistant', metadata: { incomplete: true, ended_by: 'cancelled' } });
    expect(stored[1]!.content).toMatch(/^w0 w1 /);
    expect(stored[1]!.content).not.toContain('w39');

    // The gateway carries on: the same session takes the next message.
    const next = openStream(server.target);
    next.send('are you there?');
    expect((await next.turnEnds(1))[0]).toMatchObject({ $case: 'messageComplete', value: { message: { content: 'still here' } } });
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});

describe('e2e: subscribe delivers another client\'s turn', { timeout: 90_000 }, () => {
  it('streams a turn started by one client to another client subscribed to that session', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('hello'), textReply('second ', 'answer'));
    const nexus = nexusInstance({ llm: fakeLlm(llm) });
    const server = await nexus.serve();

    const author = openStream(server.target);
    author.send('first');
    const [firstEnd] = await author.turnEnds(1);
    const sessionId = firstEnd!.value.sessionId;

    const watcher = openStream(server.target);
    watcher.subscribe(sessionId);
    // The pong comes once the subscription before it is in place.
    watcher.ping();
    await watcher.until(() => watcher.all('pong').length === 1, 'pong');
    expect(watcher.all('errorNotification')).toEqual([]);

    author.send('second');
    const [, secondEnd] = await author.turnEnds(2);
    const [seen] = await watcher.turnEnds(1);
    expect(seen).toMatchObject({ $case: 'messageComplete', value: { sessionId, messageId: secondEnd!.value.messageId, message: { content: 'second answer' } } });
    expect(watcher.text(secondEnd!.value.messageId)).toBe('second answer');
    expect(watcher.all('messageChunk').map((c) => c.sequence)).toEqual(author.all('messageChunk').filter((c) => c.messageId === secondEnd!.value.messageId).map((c) => c.sequence));

    // Subscribing to a session that does not exist says so, and the stream stays usable.
    watcher.subscribe('01a20000-0000-7000-8000-000000000000');
    watcher.ping();
    await watcher.until(() => watcher.all('pong').length === 2, 'second pong');
    expect(watcher.all('errorNotification')).toMatchObject([{ code: 'session_not_found' }]);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
