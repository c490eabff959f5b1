import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, textReply } from '../fixtures/llm-servers/index.js';
import { call, connectClients, failure, fakeLlm, nexusInstance, openStream } from './serve-harness.js';

const MiB = 1024 * 1024;
const UNKNOWN_ID = '01a20000-0000-7000-8000-000000000000';

describe('e2e: oversized message → RESOURCE_EXHAUSTED', { timeout: 90_000 }, () => {
  it('refuses a message bigger than server.max_message_bytes with RESOURCE_EXHAUSTED, and one over the content limit with an error notification', async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('fine'));
    const nexus = nexusInstance({ llm: fakeLlm(llm), server: { max_message_bytes: 2 * MiB } });
    const server = await nexus.serve();

    const huge = openStream(server.target);
    huge.send('x'.repeat(3 * MiB));
    const refused = await huge.status;
    expect(refused?.code).toBe(status.RESOURCE_EXHAUSTED);

    const { sessions } = connectClients(server.target);
    const unary = await failure(call(sessions, 'createSession', { agentId: '', channel: '', channelId: 'c', title: 't'.repeat(3 * MiB), metadata: {} }));
    expect(unary.code).toBe(status.RESOURCE_EXHAUSTED);

    // Under the transport limit but over what one message may hold: the turn is refused, the stream stays.
    const stream = openStream(server.target);
    stream.send('y'.repeat(1.5 * MiB));
    const [end] = await stream.turnEnds(1);
    expect(end).toMatchObject({ $case: 'errorNotification', value: { code: 'resource_exhausted', message: expect.stringMatching(/limit is 1048576 bytes/) } });
    stream.send('a normal message');
    expect((await stream.turnEnds(2))[1]).toMatchObject({ $case: 'messageComplete', value: { message: { content: 'fine' } } });
    // Only the normal message reached the model.
    expect(llm.streamRequests).toHaveLength(1);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});

describe('e2e: unknown session → NOT_FOUND', { timeout: 90_000 }, () => {
  it('answers send_message to an unknown session with error_notification session_not_found, and GetSession with NOT_FOUND', async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('unused'));
    const nexus = nexusInstance({ llm: fakeLlm(llm) });
    const server = await nexus.serve();

    const stream = openStream(server.target);
    stream.send('hello?', { sessionId: UNKNOWN_ID });
    const [end] = await stream.turnEnds(1);
    expect(end).toMatchObject({ $case: 'errorNotification', value: { code: 'session_not_found', sessionId: UNKNOWN_ID, message: expect.stringContaining(UNKNOWN_ID) } });
    // Something that is not a session id at all is a bad argument, not a missing session.
    stream.send('hello?', { sessionId: 'not a session id' });
    expect((await stream.turnEnds(2))[1]).toMatchObject({ $case: 'errorNotification', value: { code: 'invalid_argument' } });
    // The stream is still open.
    stream.ping();
    await stream.until(() => stream.all('pong').length === 1, 'pong');
    expect(llm.streamRequests).toHaveLength(0);

    const { sessions } = connectClients(server.target);
    const byId = await failure(call(sessions, 'getSession', { id: UNKNOWN_ID, key: '' }));
    expect(byId.code).toBe(status.NOT_FOUND);
    expect(byId.details).toContain(UNKNOWN_ID);
    expect((await failure(call(sessions, 'getSession', { id: '', key: 'main:api:nobody' }))).code).toBe(status.NOT_FOUND);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
