import { describe, expect, it } from 'vitest';
import { findSession, isSessionIdForm, StoreUnavailableError, type SessionStore } from '@nexus/plugin-sdk';
import { createMemoryStores } from '../../src/builtin-plugins/storage-memory/index.js';

const HINT = 'list the sessions, with their ids and keys, with `nexus sessions list`';

function sessionStore(): SessionStore {
  return createMemoryStores({ now: () => Date.now() }).sessions;
}

describe('findSession', () => {
  it('finds a session by its id in any case, with blanks around it, and by its key', async () => {
    const store = sessionStore();
    const session = await store.create({ agentId: 'main', channel: 'api', key: 'main:api:me' });
    expect(await findSession(store, session.id)).toEqual(session);
    expect(await findSession(store, ` ${session.id.toUpperCase()}\n`)).toEqual(session);
    expect(await findSession(store, 'main:api:me')).toEqual(session);
  });

  it('tries a reference of the form of an id as a key when no id matches (keys are free text)', async () => {
    const store = sessionStore();
    const odd = await store.create({ agentId: 'main', channel: 'api', key: '0190f0e0-0000-7000-8000-000000000000' });
    expect(await findSession(store, '0190f0e0-0000-7000-8000-000000000000')).toEqual(odd);
  });

  it('prefers the id when a reference is both one session id and another session key', async () => {
    const store = sessionStore();
    const first = await store.create({ agentId: 'main', channel: 'api', key: 'main:api:first' });
    await store.create({ agentId: 'main', channel: 'api', key: first.id });
    expect((await findSession(store, first.id)).key).toBe('main:api:first');
  });

  it.each([
    ['an unknown id', '0190f0e0-0000-7000-8000-000000000000', `no session has the id "0190f0e0-0000-7000-8000-000000000000"; ${HINT}`],
    ['an unknown key', 'main:api:nobody', `no session has the key "main:api:nobody"; ${HINT}`],
    ['a word', 'latest', `no session has the key "latest" (an id is a UUID such as 0190a4d2-…; a key is <agent>:<channel>:<conversation>, such as main:api:me); ${HINT}`],
    ['nothing', '  ', `no session given: name one by its id or its key; ${HINT}`],
  ])('says what it looked for and how to find sessions for %s, with code not_found', async (_what, reference, message) => {
    await expect(findSession(sessionStore(), reference)).rejects.toMatchObject({ name: 'SessionNotFoundError', code: 'not_found', reference, message });
  });

  it('lets a store that cannot answer say so, rather than calling the session unknown', async () => {
    const down = new StoreUnavailableError('the database is unreachable');
    const store = { get: () => Promise.reject(down), getByKey: () => Promise.reject(down) } as unknown as SessionStore;
    await expect(findSession(store, 'main:api:me')).rejects.toBe(down);
    await expect(findSession(store, '0190f0e0-0000-7000-8000-000000000000')).rejects.toBe(down);
  });

  it('tells the form of an id from that of a key', () => {
    expect(isSessionIdForm('0190F0E0-0000-7000-8000-000000000000')).toBe(true);
    expect(isSessionIdForm(' 0190f0e0-0000-7000-8000-000000000000 ')).toBe(true);
    expect(isSessionIdForm('main:api:me')).toBe(false);
    expect(isSessionIdForm('0190f0e0-0000')).toBe(false);
  });
});
