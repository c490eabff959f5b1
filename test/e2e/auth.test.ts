import { status } from '@grpc/grpc-js';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, textReply } from '../fixtures/llm-servers/index.js';
import { call, connectClients, failure, fakeLlm, JWT_SECRET, nexusInstance, openStream, sentToModel, storedMessages } from './serve-harness.js';

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

describe('e2e: auth with a JWT, an API key and none', { timeout: 90_000 }, () => {
  it('serves anonymous callers on loopback while no credential exists, then requires one as soon as an API key is created', async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('hello'));
    const nexus = nexusInstance({ llm: fakeLlm(llm) });
    const server = await nexus.serve();

    const anonymous = openStream(server.target);
    anonymous.send('hi, no credentials');
    const [end] = await anonymous.turnEnds(1);
    expect(end).toMatchObject({ $case: 'messageComplete', value: { message: { content: 'hello' } } });
    // Anonymous callers are the user `local`; their session is `<default agent>:api:local`.
    expect(storedMessages(nexus.home, 'main:api:local').map((m) => m.content)).toEqual(['hi, no credentials', 'hello']);

    // A key created by another process (the same SQLite file) makes credentials mandatory at once.
    const { key } = await nexus.createApiKey('ada');
    const refused = openStream(server.target);
    refused.send('hi again');
    expect(await refused.status).toMatchObject({ code: status.UNAUTHENTICATED, details: expect.stringMatching(/missing credentials/) });
    const sessions = connectClients(server.target).sessions;
    expect((await failure(call(sessions, 'listSessions', { agentId: '', channel: '', pageSize: 10, pageToken: '' }))).code).toBe(status.UNAUTHENTICATED);

    const withKey = openStream(server.target, { apiKey: key });
    withKey.send('hi with a key');
    expect((await withKey.turnEnds(1))[0]).toMatchObject({ $case: 'messageComplete', value: { message: { content: 'hello' } } });
    expect(storedMessages(nexus.home, 'main:api:ada').map((m) => m.content)).toEqual(['hi with a key', 'hello']);
    expect(sentToModel(llm, 1)).toContain('hi with a key');

    const wrongKey = openStream(server.target, { apiKey: `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}` });
    wrongKey.send('hi');
    expect(await wrongKey.status).toMatchObject({ code: status.UNAUTHENTICATED, details: expect.stringMatching(/invalid API key/) });
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });

  it('accepts a JWT issued by `nexus auth token` and refuses calls without credentials', async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('hi Grace'));
    const nexus = nexusInstance({ llm: fakeLlm(llm), auth: { jwt_secret: JWT_SECRET } });
    const token = await nexus.issueToken('grace');
    const server = await nexus.serve();

    const stream = openStream(server.target, { bearer: token });
    stream.send('hello');
    expect((await stream.turnEnds(1))[0]).toMatchObject({ $case: 'messageComplete', value: { message: { content: 'hi Grace' } } });
    expect(storedMessages(nexus.home, 'main:api:grace').map((m) => m.content)).toEqual(['hello', 'hi Grace']);

    const { sessions } = connectClients(server.target);
    const listed = await call(sessions, 'listSessions', { agentId: '', channel: '', pageSize: 10, pageToken: '' }, { bearer: token });
    expect(listed.sessions.map((s) => s.key)).toEqual(['main:api:grace']);

    const none = openStream(server.target);
    none.send('hello');
    expect((await none.status)?.code).toBe(status.UNAUTHENTICATED);
    expect((await failure(call(sessions, 'listSessions', { agentId: '', channel: '', pageSize: 10, pageToken: '' }))).code).toBe(status.UNAUTHENTICATED);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});

describe('e2e: a forged, expired or alg=none JWT', { timeout: 90_000 }, () => {
  it('refuses each with UNAUTHENTICATED, on the stream and on unary calls, even with a valid API key beside it', async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('should not be reached'));
    const nexus = nexusInstance({ llm: fakeLlm(llm), auth: { jwt_secret: JWT_SECRET } });
    const { key } = await nexus.createApiKey('mallory');
    const server = await nexus.serve();
    const secret = new TextEncoder().encode(JWT_SECRET);

    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('admin').setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode('another-secret-0123456789-abcdefghijkl'));
    const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('mallory').setIssuedAt(now() - 7200).setExpirationTime(now() - 3600).sign(secret);
    const algNone = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'admin', iat: now(), exp: now() + 3600 })}.`;
    const cases = [
      ['forged', forged, /signature does not match/],
      ['expired', expired, /expired/],
      ['alg=none', algNone, /algorithm is not accepted|malformed|invalid token/],
    ] as const;

    const { sessions } = connectClients(server.target);
    for (const [what, token, reason] of cases) {
      const stream = openStream(server.target, { bearer: token, apiKey: key });
      stream.send('let me in');
      const error = await stream.status;
      expect(error?.code, what).toBe(status.UNAUTHENTICATED);
      expect(error?.details, what).toMatch(reason);
      const unary = await failure(call(sessions, 'listSessions', { agentId: '', channel: '', pageSize: 10, pageToken: '' }, { bearer: token }));
      expect(unary.code, what).toBe(status.UNAUTHENTICATED);
    }
    // None of them reached the model or stored anything.
    expect(llm.streamRequests).toHaveLength(0);
    const listed = await call(sessions, 'listSessions', { agentId: '', channel: '', pageSize: 10, pageToken: '' }, { apiKey: key });
    expect(listed.sessions).toEqual([]);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});

describe('e2e: owners, roles and the safeguards of nexus migrate down', { timeout: 120_000 }, () => {
  it("keeps Bob out of Alice's session, refuses migrate down under a running gateway, and stays closed once the keys are wiped", async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('noted'));
    const nexus = nexusInstance({ llm: fakeLlm(llm) });
    const admin = await nexus.createApiKey('ops');
    const alice = await nexus.createApiKey('alice');
    const bob = await nexus.createApiKey('bob');
    const roles = JSON.parse((await nexus.cli(['auth', 'api-key', 'list', '--json'])).stdout) as { userId: string; role: string }[];
    expect(roles.map((k) => [k.userId, k.role])).toEqual([['ops', 'admin'], ['alice', 'user'], ['bob', 'user']]);
    const server = await nexus.serve();

    const hers = openStream(server.target, { apiKey: alice.key });
    hers.send('the safe code is 1234');
    const [done] = await hers.turnEnds(1);
    expect(done).toMatchObject({ $case: 'messageComplete' });
    const sessionId = done!.value.sessionId;

    const his = openStream(server.target, { apiKey: bob.key });
    his.send('what is the safe code?', { sessionId });
    expect((await his.turnEnds(1))[0]).toMatchObject({ $case: 'errorNotification', value: { code: 'session_not_found' } });
    const { sessions } = connectClients(server.target);
    const list = (apiKey: string) => call(sessions, 'listSessions', { agentId: '', channel: '', pageSize: 10, pageToken: '' }, { apiKey });
    expect((await list(bob.key)).sessions).toEqual([]);
    expect((await list(admin.key)).sessions.map((s) => s.ownerId)).toEqual(['alice']);
    expect(llm.streamRequests).toHaveLength(1);

    const refused = await nexus.cli(['migrate', 'down', '-n', '5', '--yes']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`refusing: a gateway serves from this database.*\\n {2}pid ${server.pid} on `));
    const unattended = await nexus.cli(['migrate', 'down']);
    expect(unattended.code).toBe(1);
    expect(await server.stop()).toEqual({ code: 0, signal: null });

    const noTerminal = await nexus.cli(['migrate', 'down', '-n', '5']);
    expect(noTerminal.code).toBe(1);
    expect(noTerminal.stdout).toContain('drops table api_keys (3 rows)');
    expect(noTerminal.stderr).toContain('stdin is not a terminal');
    expect((await nexus.cli(['migrate', 'down', '-n', '5', '--yes'])).code).toBe(0);
    // The next command does not quietly bring the tables back...
    const paused = await nexus.cli(['migrate', 'status']);
    expect(paused.stdout).toContain('Automatic migration is paused');
    expect((await nexus.cli(['auth', 'api-key', 'list'])).stderr).toMatch(/nexus migrate down` reverted migrations at .*run `nexus migrate up`/);
    // ...and once they are back, empty, no caller gets in without credentials.
    expect((await nexus.cli(['migrate', 'up'])).code).toBe(0);
    const again = await nexus.serve();
    const anonymous = openStream(again.target);
    anonymous.send('hello?');
    expect(await anonymous.status).toMatchObject({ code: status.UNAUTHENTICATED, details: expect.stringMatching(/credentials were \(recorded .*\).*nexus auth reset-open-access/) });
    expect(await again.stop()).toEqual({ code: 0, signal: null });
  });
});
