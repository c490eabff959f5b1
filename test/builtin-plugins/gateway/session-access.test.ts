import { randomUUID } from 'node:crypto';
import { status, type Metadata } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { SessionStoreToken } from '@nexus/plugin-sdk';
import { call, createApiKey, creds, failure, startGateway, type RunningGateway } from './gateway-test-kit.js';

const newSession = (channelId: string, extra: Partial<{ agentId: string; channel: string; title: string }> = {}) => ({ agentId: '', channel: '', channelId, title: '', metadata: {}, ...extra });
const list = (gw: RunningGateway, who: Metadata, request: Partial<{ agentId: string; channel: string; pageSize: number; pageToken: string }> = {}) =>
  call(gw.sessions, 'listSessions', { agentId: '', channel: '', pageSize: 0, pageToken: '', ...request }, who);
const update = (id: string, extra: Partial<{ title: string; ownerId: string; metadata: Record<string, string> }> = {}) => ({ id, metadata: {}, removeMetadataKeys: [], ...extra });

/** A gateway with an admin (the first key) and two users, Alice and Bob, each with an API key. */
async function people() {
  const gw = await startGateway();
  const admin = creds({ apiKey: (await createApiKey(gw.kernel, 'ops')).key });
  const alice = creds({ apiKey: (await createApiKey(gw.kernel, 'alice-key', 'alice')).key });
  const bob = creds({ apiKey: (await createApiKey(gw.kernel, 'bob-key', 'bob')).key });
  return { gw, admin, alice, bob };
}

/** The details a session that does not exist gets, for comparing a refusal with. */
async function notFoundDetails(gw: RunningGateway, who: Metadata, id: string): Promise<string> {
  const error = await failure(call(gw.sessions, 'getSession', { id, key: '' }, who));
  expect(error.code).toBe(status.NOT_FOUND);
  return error.details.replace(id, '<id>');
}

describe('SessionService: who reaches which session', () => {
  it('gives a session to the user that creates it, on the api channel only, under a conversation scoped to that user', async () => {
    const { gw, admin, alice, bob } = await people();
    const notes = await call(gw.sessions, 'createSession', newSession('notes'), alice);
    expect(notes).toMatchObject({ ownerId: 'alice', channel: 'api', channelId: 'alice:notes', key: 'main:api:alice:notes' });
    // Her own id (her default stream session's conversation) and ids under it stay as they are.
    expect(await call(gw.sessions, 'createSession', newSession('alice'), alice)).toMatchObject({ key: 'main:api:alice', ownerId: 'alice' });
    expect(await call(gw.sessions, 'createSession', newSession('alice:drafts'), alice)).toMatchObject({ key: 'main:api:alice:drafts' });
    // Bob cannot take Alice's session key, nor learn that it exists: his lands under his own id.
    expect(await call(gw.sessions, 'createSession', newSession('alice'), bob)).toMatchObject({ key: 'main:api:bob:alice', ownerId: 'bob' });

    const channel = await failure(call(gw.sessions, 'createSession', newSession('c1', { channel: 'webhook' }), alice));
    expect(channel.code).toBe(status.PERMISSION_DENIED);
    expect(channel.details).toBe('only admins create sessions on channel "webhook": a channel\'s sessions belong to the system; leave channel empty for "api"');
    // An admin may; a channel's session belongs to the system, and an admin's API session to the admin.
    expect(await call(gw.sessions, 'createSession', newSession('c1', { channel: 'webhook' }), admin)).toMatchObject({ key: 'main:webhook:c1', ownerId: '' });
    expect(await call(gw.sessions, 'createSession', newSession('bob'), admin)).toMatchObject({ key: 'main:api:bob', ownerId: 'ops' });
  });

  it("answers NOT_FOUND, as for a session that does not exist, when a user asks for another's session by id or key", async () => {
    const { gw, admin, alice, bob } = await people();
    const hers = await call(gw.sessions, 'createSession', newSession('diary'), alice);
    const system = await call(gw.sessions, 'createSession', newSession('c9', { channel: 'webhook' }), admin);
    const missing = await notFoundDetails(gw, bob, randomUUID());

    for (const session of [hers, system]) {
      const byId = await failure(call(gw.sessions, 'getSession', { id: session.id, key: '' }, bob));
      expect(byId.code).toBe(status.NOT_FOUND);
      expect(byId.details.replace(session.id, '<id>')).toBe(missing);
      const byKey = await failure(call(gw.sessions, 'getSession', { id: '', key: session.key }, bob));
      expect(byKey.code).toBe(status.NOT_FOUND);
      expect(byKey.details).toBe(`session with key "${session.key}" not found`);
    }
    expect(await call(gw.sessions, 'getSession', { id: hers.id, key: '' }, alice)).toEqual(hers);
    expect(await call(gw.sessions, 'getSession', { id: '', key: hers.key }, admin)).toEqual(hers);
    expect((await failure(call(gw.sessions, 'getSession', { id: system.id, key: '' }, alice))).code).toBe(status.NOT_FOUND);
    expect(await call(gw.sessions, 'getSession', { id: system.id, key: '' }, admin)).toEqual(system);
  });

  it("lists only a user's own sessions, with its own total, and every session for an admin", async () => {
    const { gw, admin, alice, bob } = await people();
    for (const name of ['a', 'b', 'c']) await call(gw.sessions, 'createSession', newSession(name), alice);
    await call(gw.sessions, 'createSession', newSession('x'), bob);
    await call(gw.sessions, 'createSession', newSession('c1', { channel: 'webhook' }), admin);

    const hers = await list(gw, alice, { pageSize: 2 });
    expect(hers.totalCount).toBe(3);
    expect(hers.sessions.every((s) => s.ownerId === 'alice')).toBe(true);
    const rest = await list(gw, alice, { pageSize: 2, pageToken: hers.nextPageToken });
    expect([...hers.sessions, ...rest.sessions].map((s) => s.channelId).sort()).toEqual(['alice:a', 'alice:b', 'alice:c']);
    expect((await list(gw, bob)).sessions.map((s) => s.key)).toEqual(['main:api:bob:x']);
    expect((await list(gw, bob, { channel: 'webhook' })).totalCount).toBe(0);
    expect((await list(gw, admin)).totalCount).toBe(5);

    // A page token carries its owner's listing: Bob cannot page on with Alice's.
    const replayed = await failure(list(gw, bob, { pageSize: 2, pageToken: hers.nextPageToken }));
    expect(replayed.code).toBe(status.INVALID_ARGUMENT);
  });

  it("answers NOT_FOUND to a user updating or deleting another's session, and changes nothing", async () => {
    const { gw, admin, alice, bob } = await people();
    const hers = await call(gw.sessions, 'createSession', newSession('diary', { title: 'Diary' }), alice);
    for (const attempt of [
      call(gw.sessions, 'updateSession', update(hers.id, { title: 'mine now' }), bob),
      call(gw.sessions, 'updateSession', update(hers.id, { metadata: { x: '1' } }), bob),
      call(gw.sessions, 'updateSession', update(hers.id, { ownerId: 'bob' }), bob),
      call(gw.sessions, 'deleteSession', { id: hers.id }, bob),
    ]) {
      const error = await failure(attempt);
      expect(error.code).toBe(status.NOT_FOUND);
      expect(error.details).toBe(`session "${hers.id}" not found`);
    }
    expect(await call(gw.sessions, 'getSession', { id: hers.id, key: '' }, admin)).toEqual(hers);
    expect(await call(gw.sessions, 'updateSession', update(hers.id, { title: 'Journal' }), alice)).toMatchObject({ title: 'Journal', ownerId: 'alice' });
    await call(gw.sessions, 'deleteSession', { id: hers.id }, alice);
  });

  it("lets only an admin hand a session to another owner, and only an api session", async () => {
    const { gw, admin, alice, bob } = await people();
    const hers = await call(gw.sessions, 'createSession', newSession('shared-notes'), alice);
    const own = await failure(call(gw.sessions, 'updateSession', update(hers.id, { ownerId: 'bob' }), alice));
    expect(own.code).toBe(status.PERMISSION_DENIED);
    expect(own.details).toBe("only admins change a session's owner");

    expect(await call(gw.sessions, 'updateSession', update(hers.id, { ownerId: 'bob' }), admin)).toMatchObject({ ownerId: 'bob' });
    expect(await call(gw.sessions, 'getSession', { id: hers.id, key: '' }, bob)).toMatchObject({ ownerId: 'bob' });
    expect((await failure(call(gw.sessions, 'getSession', { id: hers.id, key: '' }, alice))).code).toBe(status.NOT_FOUND);
    expect(await call(gw.sessions, 'updateSession', update(hers.id, { ownerId: '' }), admin)).toMatchObject({ ownerId: '' });
    expect((await failure(call(gw.sessions, 'getSession', { id: hers.id, key: '' }, bob))).code).toBe(status.NOT_FOUND);

    const system = await call(gw.sessions, 'createSession', newSession('c1', { channel: 'webhook' }), admin);
    const channel = await failure(call(gw.sessions, 'updateSession', update(system.id, { ownerId: 'alice' }), admin));
    expect(channel.code).toBe(status.INVALID_ARGUMENT);
    expect(channel.details).toBe(`session ${system.id} came in from channel "webhook"; only sessions of channel "api" have owners`);
  });

  it('leaves sessions without an owner (from channels, or stored before owners existed) to admins', async () => {
    const { gw, admin, alice } = await people();
    // As the migration leaves an API session stored before sessions had owners.
    const legacy = await (await gw.kernel.services.get(SessionStoreToken)).create({ agentId: 'main', channel: 'api', key: 'main:api:alice:old' });
    expect((await failure(call(gw.sessions, 'getSession', { id: legacy.id, key: '' }, alice))).code).toBe(status.NOT_FOUND);
    expect((await list(gw, alice)).totalCount).toBe(0);
    expect(await call(gw.sessions, 'getSession', { id: legacy.id, key: '' }, admin)).toMatchObject({ key: 'main:api:alice:old', ownerId: '' });
    // An admin can hand it back to her.
    await call(gw.sessions, 'updateSession', update(legacy.id, { ownerId: 'alice' }), admin);
    expect((await list(gw, alice)).sessions.map((s) => s.id)).toEqual([legacy.id]);
  });
});
