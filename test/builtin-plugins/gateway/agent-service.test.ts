import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { call, createApiKey, creds, failure, startGateway } from './gateway-test-kit.js';

const agent = (name: string, extra: Partial<{ systemPrompt: string; model: string }> = {}) => ({ name, systemPrompt: '', model: '', ...extra });

/** A gateway with an admin (the first key) and two users, each with an API key. */
async function twoUsers() {
  const gw = await startGateway();
  const admin = creds({ apiKey: (await createApiKey(gw.kernel, 'ops')).key });
  const alice = creds({ apiKey: (await createApiKey(gw.kernel, 'alice-key', 'alice')).key });
  const bob = creds({ apiKey: (await createApiKey(gw.kernel, 'bob-key', 'bob')).key });
  return { gw, admin, alice, bob };
}

describe('AgentService', () => {
  it('creates, reads, updates and deletes an agent owned by the caller', async () => {
    const { gw, alice } = await twoUsers();
    const created = await call(gw.agents, 'createAgent', agent('researcher', { systemPrompt: 'Be thorough.', model: 'gpt-test' }), alice);
    expect(created).toMatchObject({ userId: 'alice', name: 'researcher', systemPrompt: 'Be thorough.', model: 'gpt-test' });

    expect(await call(gw.agents, 'getAgent', { id: created.id }, alice)).toEqual(created);

    const updated = await call(gw.agents, 'updateAgent', { id: created.id, model: 'gpt-other' }, alice);
    expect(updated).toMatchObject({ name: 'researcher', systemPrompt: 'Be thorough.', model: 'gpt-other' });
    const cleared = await call(gw.agents, 'updateAgent', { id: created.id, systemPrompt: '' }, alice);
    expect(cleared).toMatchObject({ name: 'researcher', systemPrompt: '', model: 'gpt-other' });

    await call(gw.agents, 'deleteAgent', { id: created.id }, alice);
    expect((await failure(call(gw.agents, 'getAgent', { id: created.id }, alice))).code).toBe(status.NOT_FOUND);
  });

  it('shows each caller only their own agents, and refuses access to another user\'s', async () => {
    const { gw, alice, bob } = await twoUsers();
    const hers = await call(gw.agents, 'createAgent', agent('hers'), alice);
    await call(gw.agents, 'createAgent', agent('his'), bob);

    const herList = await call(gw.agents, 'listAgents', { pageSize: 0, pageToken: '' }, alice);
    expect(herList.agents.map((a) => a.name)).toEqual(['hers']);
    expect(herList.totalCount).toBe(1);

    for (const attempt of [
      call(gw.agents, 'getAgent', { id: hers.id }, bob),
      call(gw.agents, 'updateAgent', { id: hers.id, name: 'mine now' }, bob),
      call(gw.agents, 'deleteAgent', { id: hers.id }, bob),
    ]) {
      const error = await failure(attempt);
      expect(error.code).toBe(status.PERMISSION_DENIED);
      expect(error.details).toMatch(/belongs to another user/);
    }
    expect(await call(gw.agents, 'getAgent', { id: hers.id }, alice)).toMatchObject({ name: 'hers' });
  });

  it('pages through the caller\'s agents', async () => {
    const { gw, alice } = await twoUsers();
    for (let i = 0; i < 5; i++) await call(gw.agents, 'createAgent', agent(`a${i}`), alice);
    const first = await call(gw.agents, 'listAgents', { pageSize: 3, pageToken: '' }, alice);
    const second = await call(gw.agents, 'listAgents', { pageSize: 3, pageToken: first.nextPageToken }, alice);
    expect([...first.agents, ...second.agents].map((a) => a.name)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(second.nextPageToken).toBe('');
    expect(first.totalCount).toBe(5);
  });

  it('refuses an agent without a name, an empty rename, and an unknown id', async () => {
    const { gw, alice } = await twoUsers();
    expect((await failure(call(gw.agents, 'createAgent', agent(''), alice))).details).toBe('name is required');
    const created = await call(gw.agents, 'createAgent', agent('named'), alice);
    expect((await failure(call(gw.agents, 'updateAgent', { id: created.id, name: '' }, alice))).code).toBe(status.INVALID_ARGUMENT);
    expect((await failure(call(gw.agents, 'getAgent', { id: randomUUID() }, alice))).code).toBe(status.NOT_FOUND);
  });

  it('answers ALREADY_EXISTS for a second agent with the same name for one user', async () => {
    const { gw, alice, bob } = await twoUsers();
    await call(gw.agents, 'createAgent', agent('twin'), alice);
    expect((await failure(call(gw.agents, 'createAgent', agent('twin'), alice))).code).toBe(status.ALREADY_EXISTS);
    await expect(call(gw.agents, 'createAgent', agent('twin'), bob)).resolves.toMatchObject({ userId: 'bob' });
  });

  it('lets only an admin share an agent; then every user reads it and lists it, but only its owner and admins change it', async () => {
    const { gw, admin, alice, bob } = await twoUsers();
    const hers = await call(gw.agents, 'createAgent', agent('helper', { systemPrompt: 'Be kind.' }), alice);
    expect(hers.shared).toBe(false);

    const self = await failure(call(gw.agents, 'updateAgent', { id: hers.id, shared: true }, alice));
    expect(self.code).toBe(status.PERMISSION_DENIED);
    expect(self.details).toBe('only admins share agents (or stop sharing them)');
    expect((await failure(call(gw.agents, 'getAgent', { id: hers.id }, bob))).details).toBe(`agent ${hers.id} belongs to another user`);

    expect(await call(gw.agents, 'updateAgent', { id: hers.id, shared: true }, admin)).toMatchObject({ shared: true, userId: 'alice', systemPrompt: 'Be kind.' });
    expect(await call(gw.agents, 'getAgent', { id: hers.id }, bob)).toMatchObject({ name: 'helper', shared: true });
    const his = await call(gw.agents, 'listAgents', { pageSize: 0, pageToken: '' }, bob);
    expect(his.agents.map((a) => a.name)).toEqual(['helper']);
    for (const attempt of [call(gw.agents, 'updateAgent', { id: hers.id, systemPrompt: 'Be rude.' }, bob), call(gw.agents, 'deleteAgent', { id: hers.id }, bob)]) {
      const error = await failure(attempt);
      expect(error.code).toBe(status.PERMISSION_DENIED);
      expect(error.details).toBe(`agent ${hers.id} is shared with you, but only its owner and admins change it`);
    }
    // Its owner still changes it, and an admin may change or delete anyone's.
    expect(await call(gw.agents, 'updateAgent', { id: hers.id, name: 'helper-2' }, alice)).toMatchObject({ name: 'helper-2', shared: true });
    expect(await call(gw.agents, 'updateAgent', { id: hers.id, shared: false }, admin)).toMatchObject({ shared: false });
    expect((await failure(call(gw.agents, 'getAgent', { id: hers.id }, bob))).code).toBe(status.PERMISSION_DENIED);
    await call(gw.agents, 'deleteAgent', { id: hers.id }, admin);
    expect((await failure(call(gw.agents, 'getAgent', { id: hers.id }, alice))).code).toBe(status.NOT_FOUND);
  });
});
