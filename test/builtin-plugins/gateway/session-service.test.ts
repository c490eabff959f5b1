import { randomUUID } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { call, createApiKey, creds, failure, startGateway, type RunningGateway } from './gateway-test-kit.js';

const newSession = (channelId: string, extra: Partial<{ agentId: string; channel: string; title: string; metadata: Record<string, string> }> = {}) => ({
  agentId: '',
  channel: '',
  channelId,
  title: '',
  metadata: {},
  ...extra,
});

const list = (gw: RunningGateway, request: Partial<{ agentId: string; channel: string; pageSize: number; pageToken: string }> = {}) =>
  call(gw.sessions, 'listSessions', { agentId: '', channel: '', pageSize: 0, pageToken: '', ...request });

describe('SessionService', () => {
  it('creates, reads, updates and deletes a session', async () => {
    const gw = await startGateway();
    const created = await call(gw.sessions, 'createSession', newSession('c1', { agentId: 'helper', channel: 'webhook', title: 'Support', metadata: { lang: 'en' } }));
    expect(created).toMatchObject({ agentId: 'helper', channel: 'webhook', channelId: 'c1', key: 'helper:webhook:c1', title: 'Support', metadata: { lang: 'en' } });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.createdAt).toBeInstanceOf(Date);

    expect(await call(gw.sessions, 'getSession', { id: created.id, key: '' })).toEqual(created);
    expect(await call(gw.sessions, 'getSession', { id: '', key: 'helper:webhook:c1' })).toEqual(created);

    const renamed = await call(gw.sessions, 'updateSession', { id: created.id, title: 'Billing', metadata: { tier: 'gold' }, removeMetadataKeys: ['lang'] });
    expect(renamed).toMatchObject({ id: created.id, title: 'Billing', metadata: { tier: 'gold' } });
    const untouched = await call(gw.sessions, 'updateSession', { id: created.id, metadata: {}, removeMetadataKeys: [] });
    expect(untouched).toMatchObject({ title: 'Billing', metadata: { tier: 'gold' } });
    expect(await call(gw.sessions, 'updateSession', { id: created.id, title: '', metadata: {}, removeMetadataKeys: [] })).toMatchObject({ title: '' });

    await call(gw.sessions, 'deleteSession', { id: created.id });
    const gone = await failure(call(gw.sessions, 'getSession', { id: created.id, key: '' }));
    expect(gone.code).toBe(status.NOT_FOUND);
  });

  it('lets only its owner create a session for a stored agent; other agent ids are names', async () => {
    const gw = await startGateway();
    const alice = creds({ apiKey: (await createApiKey(gw.kernel, 'alice-key', 'alice')).key });
    const bob = creds({ apiKey: (await createApiKey(gw.kernel, 'bob-key', 'bob')).key });
    const pirate = await call(gw.agents, 'createAgent', { name: 'pirate', systemPrompt: 'Answer like a pirate.', model: '' }, alice);

    const hers = await call(gw.sessions, 'createSession', newSession('deck', { agentId: pirate.id }), alice);
    expect(hers).toMatchObject({ agentId: pirate.id, key: `${pirate.id}:api:deck` });

    const stolen = await failure(call(gw.sessions, 'createSession', newSession('mutiny', { agentId: pirate.id }), bob));
    expect(stolen.code).toBe(status.PERMISSION_DENIED);
    expect(stolen.details).toBe(`agent ${pirate.id} belongs to another user`);

    const unknown = randomUUID();
    const missing = await failure(call(gw.sessions, 'createSession', newSession('nowhere', { agentId: unknown }), alice));
    expect(missing.code).toBe(status.NOT_FOUND);
    expect(missing.details).toContain(unknown);

    expect(await call(gw.sessions, 'createSession', newSession('named', { agentId: 'helper' }), bob)).toMatchObject({ agentId: 'helper' });
  });

  it('defaults to the configured default agent and the api channel', async () => {
    const gw = await startGateway({ settings: {} });
    expect(await call(gw.sessions, 'createSession', newSession('alice'))).toMatchObject({ agentId: 'main', channel: 'api', key: 'main:api:alice' });
  });

  it('pages through sessions with opaque page tokens and reports the total', async () => {
    const gw = await startGateway();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await call(gw.sessions, 'createSession', newSession(`c${i}`))).id);
    await call(gw.sessions, 'createSession', newSession('elsewhere', { channel: 'webhook' }));

    const seen: string[] = [];
    let pageToken = '';
    let pages = 0;
    do {
      const page = await list(gw, { channel: 'api', pageSize: 2, pageToken });
      expect(page.totalCount).toBe(5);
      expect(page.sessions.length).toBeLessThanOrEqual(2);
      seen.push(...page.sessions.map((s) => s.id));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken !== '');
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(ids.sort());
    expect((await list(gw)).totalCount).toBe(6);
  });

  it('rejects a page token that is garbage, or that belongs to another query', async () => {
    const gw = await startGateway();
    for (let i = 0; i < 3; i++) await call(gw.sessions, 'createSession', newSession(`c${i}`));
    const { nextPageToken } = await list(gw, { pageSize: 1 });
    expect(nextPageToken).not.toBe('');

    for (const pageToken of ['not a token!', Buffer.from('{"x":1}').toString('base64url'), 'abc']) {
      const error = await failure(list(gw, { pageSize: 1, pageToken }));
      expect(error.code, pageToken).toBe(status.INVALID_ARGUMENT);
      expect(error.details).toMatch(/invalid page_token/);
    }
    const otherQuery = await failure(list(gw, { pageSize: 1, pageToken: nextPageToken, channel: 'webhook' }));
    expect(otherQuery.code).toBe(status.INVALID_ARGUMENT);
    expect(otherQuery.details).toMatch(/another list|other filters/);
    expect((await failure(list(gw, { pageSize: -1 }))).code).toBe(status.INVALID_ARGUMENT);
  });

  it('answers NOT_FOUND for an unknown session and INVALID_ARGUMENT for a malformed or missing id', async () => {
    const gw = await startGateway();
    expect((await failure(call(gw.sessions, 'getSession', { id: randomUUID(), key: '' }))).code).toBe(status.NOT_FOUND);
    expect((await failure(call(gw.sessions, 'getSession', { id: '', key: 'main:api:nobody' }))).code).toBe(status.NOT_FOUND);
    expect((await failure(call(gw.sessions, 'deleteSession', { id: randomUUID() }))).code).toBe(status.NOT_FOUND);
    expect((await failure(call(gw.sessions, 'getSession', { id: 'not-a-uuid', key: '' }))).code).toBe(status.INVALID_ARGUMENT);
    const missing = await failure(call(gw.sessions, 'getSession', { id: '', key: '' }));
    expect(missing.code).toBe(status.INVALID_ARGUMENT);
    expect(missing.details).toMatch(/id \(or key\) is required/);
    expect((await failure(call(gw.sessions, 'getSession', { id: randomUUID(), key: 'a:b:c' }))).code).toBe(status.INVALID_ARGUMENT);
  });

  it('answers INVALID_ARGUMENT without a channel_id and ALREADY_EXISTS for a second session with the same key', async () => {
    const gw = await startGateway();
    const missing = await failure(call(gw.sessions, 'createSession', newSession('')));
    expect(missing.code).toBe(status.INVALID_ARGUMENT);
    expect(missing.details).toBe('channel_id is required');

    await call(gw.sessions, 'createSession', newSession('twice'));
    expect((await failure(call(gw.sessions, 'createSession', newSession('twice')))).code).toBe(status.ALREADY_EXISTS);
  });

  it('refuses a message larger than server.max_message_bytes with RESOURCE_EXHAUSTED', async () => {
    const gw = await startGateway({ settings: { server: { max_message_bytes: 4096 } } });
    const error = await failure(call(gw.sessions, 'createSession', newSession('big', { title: 'x'.repeat(10_000) })));
    expect(error.code).toBe(status.RESOURCE_EXHAUSTED);
    // The server is fine afterwards.
    expect(await call(gw.sessions, 'createSession', newSession('small'))).toMatchObject({ key: 'main:api:small' });
  });

  it('answers UNAVAILABLE, saying why, when no storage plugin is enabled', async () => {
    const gw = await startGateway({ withoutStorage: true });
    const error = await failure(list(gw));
    expect(error.code).toBe(status.UNAVAILABLE);
    expect(error.details).toMatch(/no storage plugin is enabled/);
  });
});
