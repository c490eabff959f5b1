import type { ContractTestApi } from '../../contract-suite/contract-test-api.js';
import type { StoreSet } from '../store-set.js';

/** Who owns a session, whether an agent is shared, what role an API key carries: what authorization reads. */
export function accessContract({ it, expect }: ContractTestApi, stores: () => StoreSet): void {
  const session = (conversation: string, ownerId?: string) => ({ agentId: 'main', channel: 'api', key: `main:api:${conversation}`, ...(ownerId !== undefined ? { ownerId } : {}) });

  it('keeps the owner a session was created with; a session created without one has none', async () => {
    const owned = await stores().sessions.create(session('alice', 'alice'));
    const system = await stores().sessions.create({ agentId: 'main', channel: 'webhook', key: 'main:webhook:c1' });
    expect(owned.ownerId).toBe('alice');
    expect(system).not.toHaveProperty('ownerId');
    expect(await stores().sessions.get(owned.id)).toEqual(owned);
    expect(await stores().sessions.getByKey(system.key)).toEqual(system);
    // getOrCreate returns the session as it is: the owner asked for only applies to a new one.
    expect(await stores().sessions.getOrCreate(session('alice', 'mallory'))).toEqual(owned);
    expect((await stores().sessions.getOrCreate(session('bob', 'bob'))).ownerId).toBe('bob');
  });

  it("lists only an owner's sessions when asked, never the system's", async () => {
    const mine = [await stores().sessions.create(session('a1', 'alice')), await stores().sessions.create(session('a2', 'alice'))];
    await stores().sessions.create(session('b1', 'bob'));
    await stores().sessions.create({ agentId: 'main', channel: 'webhook', key: 'main:webhook:x' });
    const page = await stores().sessions.list({ ownerId: 'alice' }, { limit: 10 });
    expect(page.total).toBe(2);
    expect(page.items.map((s) => s.id).sort()).toEqual(mine.map((s) => s.id).sort());
    expect((await stores().sessions.list({ ownerId: 'alice', channel: 'webhook' }, { limit: 10 })).total).toBe(0);
    expect((await stores().sessions.list({}, { limit: 10 })).total).toBe(4);
  });

  it('hands a session to another owner, or to the system, and leaves the owner alone otherwise', async () => {
    const created = await stores().sessions.create(session('handover', 'alice'));
    expect((await stores().sessions.update(created.id, { title: 'renamed' })).ownerId).toBe('alice');
    expect((await stores().sessions.update(created.id, { ownerId: 'bob' })).ownerId).toBe('bob');
    const system = await stores().sessions.update(created.id, { ownerId: undefined });
    expect(system).not.toHaveProperty('ownerId');
    expect(await stores().sessions.get(created.id)).toEqual(system);
    expect((await stores().sessions.list({ ownerId: 'bob' }, { limit: 10 })).total).toBe(0);
  });

  it('creates agents unshared, shares them, and lists the shared ones of others only when asked', async () => {
    const hers = await stores().agents.create({ userId: 'alice', name: 'private' });
    const common = await stores().agents.create({ userId: 'admin', name: 'common', shared: true });
    const his = await stores().agents.create({ userId: 'bob', name: 'his' });
    expect(hers.shared).toBe(false);
    expect(common.shared).toBe(true);
    expect(await stores().agents.get(common.id)).toEqual(common);

    expect((await stores().agents.list('bob', { limit: 10 })).items.map((a) => a.name)).toEqual(['his']);
    const visible = await stores().agents.list('bob', { limit: 10 }, { includeShared: true });
    expect(visible).toMatchObject({ total: 2, items: [{ name: 'common' }, { name: 'his' }] });

    const shared = await stores().agents.update(hers.id, { shared: true });
    expect(shared).toMatchObject({ name: 'private', shared: true });
    expect((await stores().agents.list('bob', { limit: 10 }, { includeShared: true })).items.map((a) => a.name)).toEqual(['private', 'common', 'his']);
    expect((await stores().agents.update(hers.id, { systemPrompt: 'changed' })).shared).toBe(true);
    expect((await stores().agents.update(hers.id, { shared: false })).shared).toBe(false);
    expect(his.shared).toBe(false);
    await expect(stores().agents.update(hers.id, { shared: 'yes' as unknown as boolean })).rejects.toMatchObject({ code: 'validation', field: 'agent.shared' });
  });

  it('gives an API key the role it was created with, user by default', async () => {
    const admin = await stores().apiKeys.create({ name: 'ops', userId: 'ops', key: 'ops-key-0123456789abcdef', role: 'admin' });
    const user = await stores().apiKeys.create({ name: 'app', userId: 'alice', key: 'app-key-0123456789abcdef' });
    expect([admin.role, user.role]).toEqual(['admin', 'user']);
    expect(await stores().apiKeys.verify('ops-key-0123456789abcdef')).toMatchObject({ role: 'admin' });
    expect(await stores().apiKeys.verify('app-key-0123456789abcdef')).toMatchObject({ role: 'user' });
    expect((await stores().apiKeys.list()).map((k) => k.role)).toEqual(['admin', 'user']);
    await expect(stores().apiKeys.create({ name: 'x', userId: 'x', key: 'bad-role-0123456789abc', role: 'root' as 'admin' })).rejects.toMatchObject({ code: 'validation', field: 'apiKey.role' });
  });
}
