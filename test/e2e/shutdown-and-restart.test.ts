import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, textReply, type StreamReply } from '../fixtures/llm-servers/index.js';
import { call, connectClients, fakeLlm, nexusInstance, openStream, sentToModel, standardCheck, storedMessages } from './serve-harness.js';

/** A streamed reply of `n` words, one every `everyMs`. */
function slowReply(n: number, everyMs: number): StreamReply {
  return { kind: 'stream', text: Array.from({ length: n }, (_, i) => `word${i} `), chunkDelayMs: everyMs };
}

async function poll<T>(probe: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('e2e: SIGTERM with turns in flight', { timeout: 90_000 }, () => {
  it('reports NOT_SERVING, refuses new work, lets the turn finish, exits 0, and the history survives the restart', async () => {
    await using llm = await startFakeOpenAI();
    const fullReply = Array.from({ length: 12 }, (_, i) => `word${i} `).join('');
    llm.push(slowReply(12, 250), textReply('welcome back'));
    const nexus = nexusInstance({ llm: fakeLlm(llm), server: { drain_timeout: '8s' } });
    const { key } = await nexus.createApiKey('ada');
    const server = await nexus.serve();
    const { standardHealth } = connectClients(server.target);
    expect(await standardCheck(standardHealth)).toBe('SERVING');

    const busy = openStream(server.target, { apiKey: key });
    const idle = openStream(server.target, { apiKey: key });
    busy.send('finish me');
    await busy.until(() => busy.all('messageChunk').length >= 1, 'the first chunk');

    server.child.kill('SIGTERM');
    await poll(() => standardCheck(standardHealth), (s) => s === 'NOT_SERVING', 'standard health');
    // Draining: the turn in flight is still running, and new messages are refused.
    expect(busy.all('messageComplete')).toEqual([]);
    idle.send('one more?');
    expect((await idle.turnEnds(1))[0]).toMatchObject({ $case: 'errorNotification', value: { code: 'unavailable', message: expect.stringMatching(/shutting down/) } });

    const [end] = await busy.turnEnds(1);
    expect(end).toMatchObject({ $case: 'messageComplete', value: { message: { content: fullReply } } });
    expect(busy.text(end!.value.messageId)).toBe(fullReply);
    expect(await server.exited).toEqual({ code: 0, signal: null });
    // Streams still open when the gateway stopped were told to reconnect.
    expect((await busy.status)?.code).toBe(status.UNAVAILABLE);
    expect((await idle.status)?.code).toBe(status.UNAVAILABLE);
    expect(server.stdout()).toContain('Received SIGTERM');

    expect(storedMessages(nexus.home, 'main:api:ada')).toMatchObject([
      { role: 'user', content: 'finish me' },
      { role: 'assistant', content: fullReply, metadata: expect.not.objectContaining({ incomplete: true }) },
    ]);
    const again = await nexus.serve();
    const resumed = openStream(again.target, { apiKey: key });
    resumed.send('I am back');
    expect((await resumed.turnEnds(1))[0]).toMatchObject({ $case: 'messageComplete', value: { message: { content: 'welcome back' } } });
    for (const earlier of ['finish me', fullReply.trim(), 'I am back']) expect(sentToModel(llm, 1)).toContain(earlier);
    expect(await again.stop()).toEqual({ code: 0, signal: null });
  });

  it('cuts off a turn that outlasts server.drain_timeout and stores it as interrupted, then still exits 0', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(slowReply(60, 200));
    const nexus = nexusInstance({ llm: fakeLlm(llm), server: { drain_timeout: '500ms' } });
    const server = await nexus.serve();

    const stream = openStream(server.target);
    stream.send('a very long answer, please');
    await stream.until(() => stream.all('messageChunk').length >= 2, 'two chunks');
    const sent = Date.now();
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    expect(Date.now() - sent).toBeLessThan(5_000);

    // The client heard how its turn ended before the stream closed.
    const [end] = await stream.turnEnds(1);
    expect(end).toMatchObject({ $case: 'errorNotification', value: { code: 'interrupted' } });
    const request = llm.streamRequests[0]!;
    await request.closed;
    expect(request.completed).toBe(false);

    const stored = storedMessages(nexus.home, 'main:api:local');
    expect(stored).toMatchObject([
      { role: 'user', content: 'a very long answer, please' },
      { role: 'assistant', metadata: { incomplete: true, ended_by: 'interrupted' } },
    ]);
    expect(stored[1]!.content).toMatch(/^word0 word1 /);
    expect(server.logs().some((l) => l.level === 40 && /cut off and stored as interrupted/.test(l.msg))).toBe(true);
  });
});

describe('e2e: restart and resume', { timeout: 90_000 }, () => {
  it('gives two streams with the same API key one session, <default agent>:api:<user>, across a restart', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('Noted: ', 'swordfish.'), textReply('It was swordfish.'));
    const nexus = nexusInstance({ llm: fakeLlm(llm) });
    const { key } = await nexus.createApiKey('ada');

    const first = await nexus.serve();
    const before = openStream(first.target, { apiKey: key });
    before.send('Remember: the password is swordfish.');
    const [firstEnd] = await before.turnEnds(1);
    expect(firstEnd!.$case).toBe('messageComplete');
    const sessionId = firstEnd!.value.sessionId;
    expect(await first.stop()).toEqual({ code: 0, signal: null });

    const second = await nexus.serve();
    const after = openStream(second.target, { apiKey: key });
    after.send('What was the password?');
    const [secondEnd] = await after.turnEnds(1);
    expect(secondEnd).toMatchObject({ $case: 'messageComplete', value: { sessionId, message: { content: 'It was swordfish.' } } });
    // The model saw the first run's messages in the second run's request.
    for (const earlier of ['Remember: the password is swordfish.', 'Noted: swordfish.', 'What was the password?']) expect(sentToModel(llm, 1)).toContain(earlier);

    const { sessions } = connectClients(second.target);
    expect(await call(sessions, 'getSession', { id: sessionId, key: '' }, { apiKey: key })).toMatchObject({ key: 'main:api:ada', agentId: 'main', channel: 'api', channelId: 'ada' });
    expect(await second.stop()).toEqual({ code: 0, signal: null });
  });
});
