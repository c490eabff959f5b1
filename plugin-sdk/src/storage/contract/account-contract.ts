import type { ContractTestApi } from '../../contract-suite/contract-test-api.js';
import type { StoreSet } from '../store-set.js';

const KEY = 'nx_live_0123456789abcdefghijklmnop';

export function accountContract({ it, expect }: ContractTestApi, stores: () => StoreSet, dump: (() => Promise<string>) | undefined): void {
  it('creates, reads, updates and deletes agents; names are unique per user', async () => {
    const agent = await stores().agents.create({ userId: 'u1', name: 'helper', model: 'claude-sonnet', systemPrompt: 'Be brief.' });
    expect(agent).toMatchObject({ userId: 'u1', name: 'helper', model: 'claude-sonnet', systemPrompt: 'Be brief.' });
    expect(await stores().agents.get(agent.id)).toEqual(agent);
    await expect(stores().agents.create({ userId: 'u1', name: 'helper' })).rejects.toMatchObject({ code: 'already_exists' });
    const elsewhere = await stores().agents.create({ userId: 'u2', name: 'helper' });
    expect(elsewhere.model).toBeUndefined();

    const renamed = await stores().agents.update(agent.id, { name: 'assistant', model: undefined });
    expect(renamed).toMatchObject({ id: agent.id, name: 'assistant', systemPrompt: 'Be brief.', createdAt: agent.createdAt });
    expect(renamed.model).toBeUndefined();
    await stores().agents.create({ userId: 'u1', name: 'helper' });
    await expect(stores().agents.update(agent.id, { name: 'helper' })).rejects.toMatchObject({ code: 'already_exists' });

    await stores().agents.delete(agent.id);
    await expect(stores().agents.get(agent.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(stores().agents.delete(agent.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(stores().agents.update(agent.id, { name: 'x' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it("lists a user's agents oldest first, in pages with a total", async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await stores().agents.create({ userId: 'pager', name: `a${i}` }));
    await stores().agents.create({ userId: 'not-pager', name: 'x' });
    const first = await stores().agents.list('pager', { limit: 2 });
    expect(first).toMatchObject({ total: 5, items: [{ name: 'a0' }, { name: 'a1' }] });
    const second = await stores().agents.list('pager', { limit: 2, cursor: first.nextCursor! });
    const third = await stores().agents.list('pager', { limit: 2, cursor: second.nextCursor! });
    expect([...first.items, ...second.items, ...third.items].map((a) => a.id)).toEqual(made.map((a) => a.id));
    expect(third.nextCursor).toBeUndefined();
    expect(await stores().agents.list('nobody', { limit: 2 })).toEqual({ items: [], total: 0 });
  });

  it('upserts channel connections by user, channel and account, keeping the id', async () => {
    const first = await stores().channelConnections.upsert({ userId: 'u1', channel: 'telegram', accountId: 'bot-1', status: 'connected' });
    const again = await stores().channelConnections.upsert({ userId: 'u1', channel: 'telegram', accountId: 'bot-1', status: 'error' });
    expect(again).toMatchObject({ id: first.id, status: 'error', createdAt: first.createdAt });
    expect(again.updatedAt).toBeGreaterThanOrEqual(first.updatedAt);
    await stores().channelConnections.upsert({ userId: 'u1', channel: 'slack', accountId: 'ws-1', status: 'disconnected' });
    await stores().channelConnections.upsert({ userId: 'u2', channel: 'telegram', accountId: 'bot-1', status: 'connected' });

    const page = await stores().channelConnections.list('u1', { limit: 10 });
    expect(page.total).toBe(2);
    expect(page.items.map((c) => [c.channel, c.status])).toEqual([['telegram', 'error'], ['slack', 'disconnected']]);
    await stores().channelConnections.delete(first.id);
    expect((await stores().channelConnections.list('u1', { limit: 10 })).total).toBe(1);
    await expect(stores().channelConnections.delete(first.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('finds users by identity, then by email whatever its case (linking the identity), else creates them', async () => {
    const ada = await stores().users.findOrCreate({ provider: 'github', providerId: '42', email: 'Ada@Example.com', name: 'Ada' });
    expect(ada).toMatchObject({ email: 'Ada@Example.com', name: 'Ada' });
    expect(await stores().users.findOrCreate({ provider: 'github', providerId: '42', email: 'changed@example.com' })).toEqual(ada);
    const viaGoogle = await stores().users.findOrCreate({ provider: 'google', providerId: 'g-7', email: 'ada@EXAMPLE.com' });
    expect(viaGoogle).toEqual(ada);
    // The Google identity is linked now: it finds Ada even without the email.
    expect(await stores().users.findOrCreate({ provider: 'google', providerId: 'g-7' })).toEqual(ada);
    const bob = await stores().users.findOrCreate({ provider: 'github', providerId: '43' });
    expect(bob.id).not.toBe(ada.id);
    expect(bob.email).toBeUndefined();
    expect(await stores().users.get(ada.id)).toEqual(ada);
    await expect(stores().users.get('0190a4d2-0000-7000-8000-000000000000')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('creates one user when the same new identity signs in concurrently', async () => {
    const users = await Promise.all(Array.from({ length: 8 }, () => stores().users.findOrCreate({ provider: 'oidc', providerId: 'same', email: 'same@example.com' })));
    expect(new Set(users.map((u) => u.id)).size).toBe(1);
  });

  it('stores API keys hashed, verifies them, and stops verifying revoked ones', async () => {
    const record = await stores().apiKeys.create({ name: 'ci', userId: 'u1', key: KEY });
    expect(record).toMatchObject({ name: 'ci', userId: 'u1' });
    expect(JSON.stringify(record)).not.toContain(KEY);
    expect(await stores().apiKeys.verify(KEY)).toEqual(record);
    expect(await stores().apiKeys.verify(`${KEY}x`)).toBeUndefined();
    expect(await stores().apiKeys.verify('')).toBeUndefined();
    if (dump) expect(await dump()).not.toContain(KEY);

    await stores().apiKeys.create({ name: 'other', userId: 'u2', key: 'another-key-0123456789' });
    await stores().apiKeys.revoke(record.id);
    await stores().apiKeys.revoke(record.id);
    expect(await stores().apiKeys.verify(KEY)).toBeUndefined();
    const listed = await stores().apiKeys.list();
    expect(listed.map((k) => k.name)).toEqual(['ci', 'other']);
    expect(listed[0]!.revokedAt).toBeGreaterThanOrEqual(record.createdAt);
    expect(listed[1]!.revokedAt).toBeUndefined();
    await expect(stores().apiKeys.create({ name: 'again', userId: 'u3', key: KEY })).rejects.toMatchObject({ code: 'already_exists', message: expect.not.stringContaining(KEY) });
    await expect(stores().apiKeys.revoke('0190a4d2-0000-7000-8000-000000000000')).rejects.toMatchObject({ code: 'not_found' });
    await expect(stores().apiKeys.create({ name: 'short', userId: 'u1', key: 'hunter2' })).rejects.toMatchObject({ code: 'validation', field: 'apiKey.key' });
  });
}
