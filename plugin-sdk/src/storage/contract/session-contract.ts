import { setTimeout as sleep } from 'node:timers/promises';
import type { ContractTestApi } from '../../contract-suite/contract-test-api.js';
import type { NewMessage, Session } from '../../contracts/index.js';
import type { StoreSet } from '../store-set.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function sessionContract({ it, expect }: ContractTestApi, stores: () => StoreSet): void {
  const newSession = (conversation: string, agentId = 'main', channel = 'telegram') => ({ agentId, channel, key: `${agentId}:${channel}:${conversation}` });
  const say = (sessionId: string, content: string, extra: Partial<NewMessage> = {}): NewMessage => ({ sessionId, role: 'user', content, ...extra });

  it('creates a session with a UUIDv7 id and UTC millisecond timestamps, readable by id and by key', async () => {
    const before = Date.now();
    const created = await stores().sessions.create({ ...newSession('c1'), title: 'First', metadata: { lang: 'en', nested: { n: 1 } } });
    expect(created.id).toMatch(UUID_V7);
    expect(created).toMatchObject({ agentId: 'main', channel: 'telegram', key: 'main:telegram:c1', title: 'First', metadata: { lang: 'en', nested: { n: 1 } } });
    expect(created.createdAt).toBeGreaterThanOrEqual(before - 1);
    expect(created.createdAt).toBeLessThanOrEqual(Date.now() + 1);
    expect(created.updatedAt).toBe(created.createdAt);
    expect(await stores().sessions.get(created.id)).toEqual(created);
    expect(await stores().sessions.getByKey('main:telegram:c1')).toEqual(created);
    expect(await stores().sessions.get(created.id.toUpperCase())).toEqual(created);
  });

  it('refuses a second session with the same key with AlreadyExistsError', async () => {
    await stores().sessions.create(newSession('dup'));
    await expect(stores().sessions.create(newSession('dup'))).rejects.toMatchObject({ code: 'already_exists', message: 'session with key "main:telegram:dup" already exists' });
  });

  it('getOrCreate returns the existing session, and creates exactly one under concurrent calls', async () => {
    const first = await stores().sessions.getOrCreate(newSession('g1'));
    expect(await stores().sessions.getOrCreate(newSession('g1'))).toEqual(first);
    const racing = await Promise.all(Array.from({ length: 12 }, () => stores().sessions.getOrCreate(newSession('race'))));
    expect(new Set(racing.map((s) => s.id)).size).toBe(1);
    expect((await stores().sessions.list({ agentId: 'main' }, { limit: 10 })).total).toBe(2);
  });

  it('says NotFound for an unknown id or key, and Validation for an id that is not a UUID', async () => {
    await expect(stores().sessions.get('0190a4d2-0000-7000-8000-000000000000')).rejects.toMatchObject({ code: 'not_found' });
    await expect(stores().sessions.getByKey('main:telegram:nobody')).rejects.toMatchObject({ code: 'not_found' });
    await expect(stores().sessions.get('42')).rejects.toMatchObject({ code: 'validation', field: 'session.id', message: 'session.id: "42" is not a UUID' });
    await expect(stores().sessions.delete("1'; drop table sessions; --")).rejects.toMatchObject({ code: 'validation' });
  });

  it('updates the title and metadata, clears the title, and moves updatedAt', async () => {
    const session = await stores().sessions.create({ ...newSession('u1'), title: 'Old' });
    await sleep(3);
    const updated = await stores().sessions.update(session.id, { title: 'New', metadata: { pinned: true } });
    expect(updated).toMatchObject({ id: session.id, title: 'New', metadata: { pinned: true }, createdAt: session.createdAt });
    expect(updated.updatedAt).toBeGreaterThan(session.updatedAt);
    const cleared = await stores().sessions.update(session.id, { title: undefined });
    expect(cleared.title).toBeUndefined();
    expect(cleared.metadata).toEqual({ pinned: true });
    expect(await stores().sessions.get(session.id)).toEqual(cleared);
    await expect(stores().sessions.update('0190a4d2-0000-7000-8000-000000000000', { title: 'x' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('deletes a session with its messages, and says NotFound for one that is gone', async () => {
    const session = await stores().sessions.create(newSession('d1'));
    await stores().sessions.appendMessage(say(session.id, 'hello'));
    await stores().sessions.delete(session.id);
    await expect(stores().sessions.get(session.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(stores().sessions.history(session.id, 10)).rejects.toMatchObject({ code: 'not_found' });
    await expect(stores().sessions.delete(session.id)).rejects.toMatchObject({ code: 'not_found' });
    // The key is free again.
    expect((await stores().sessions.create(newSession('d1'))).id).not.toBe(session.id);
  });

  it('lists sessions newest first, filtered by agent and channel, in pages with cursors and a total', async () => {
    const made: Session[] = [];
    for (let i = 0; i < 7; i++) made.push(await stores().sessions.create(newSession(`l${i}`, 'lister', i % 2 === 0 ? 'slack' : 'discord')));
    await stores().sessions.create(newSession('other', 'someone-else', 'slack'));

    const first = await stores().sessions.list({ agentId: 'lister' }, { limit: 3 });
    expect(first.total).toBe(7);
    expect(first.items.map((s) => s.key)).toEqual(['lister:slack:l6', 'lister:discord:l5', 'lister:slack:l4']);
    const second = await stores().sessions.list({ agentId: 'lister' }, { limit: 3, cursor: first.nextCursor! });
    const third = await stores().sessions.list({ agentId: 'lister' }, { limit: 3, cursor: second.nextCursor! });
    expect(third.nextCursor).toBeUndefined();
    expect([...first.items, ...second.items, ...third.items].map((s) => s.id)).toEqual(made.map((s) => s.id).reverse());

    const slack = await stores().sessions.list({ agentId: 'lister', channel: 'slack' }, { limit: 10 });
    expect(slack.total).toBe(4);
    expect(slack.items.every((s) => s.channel === 'slack')).toBe(true);
    expect(slack.nextCursor).toBeUndefined();
    expect((await stores().sessions.list({ channel: 'slack' }, { limit: 10 })).total).toBe(5);
  });

  it('keeps attachments with binary data, tool calls, tool results and metadata', async () => {
    const session = await stores().sessions.create(newSession('m1'));
    const data = new Uint8Array([0, 1, 2, 250, 255, 0, 128]);
    const appended = await stores().sessions.appendMessage({
      sessionId: session.id,
      role: 'assistant',
      content: 'Here 🐙 — done',
      attachments: [{ name: 'a.bin', mimeType: 'application/octet-stream', data }, { mimeType: 'image/png', url: 'https://example.test/a.png' }],
      toolCalls: [{ id: 'call_1', name: 'search', input: { q: 'nexus', n: 3, deep: { list: [1, null, 'x'] } } }],
      toolResults: [{ callId: 'call_1', content: 'found 3', isError: false }, { callId: 'call_2', content: 'boom', isError: true }],
      metadata: { model: 'claude', usage: { input: 10, output: 20 } },
    });
    expect(appended.id).toMatch(UUID_V7);
    const [stored] = await stores().sessions.history(session.id, 1);
    expect(stored).toEqual(appended);
    expect(stored!.attachments[0]!.data).toBeInstanceOf(Uint8Array);
    expect([...stored!.attachments[0]!.data!]).toEqual([...data]);
    expect(stored!.attachments[1]).toEqual({ mimeType: 'image/png', url: 'https://example.test/a.png' });
    expect(stored!.toolCalls[0]!.input).toEqual({ q: 'nexus', n: 3, deep: { list: [1, null, 'x'] } });
    expect(stored!.toolResults).toEqual([{ callId: 'call_1', content: 'found 3', isError: false }, { callId: 'call_2', content: 'boom', isError: true }]);
  });

  it('keeps every message role, the system event role included, in the order appended, and refuses an unknown one', async () => {
    const session = await stores().sessions.create(newSession('roles'));
    const roles = ['user', 'assistant', 'system', 'tool', 'event'] as const;
    for (const role of roles) await stores().sessions.appendMessage(say(session.id, `as ${role}`, { role, metadata: role === 'event' ? { source: 'cron', job_id: 'j1' } : {} }));
    const history = await stores().sessions.history(session.id, 10);
    expect(history.map((m) => [m.role, m.content])).toEqual(roles.map((role) => [role, `as ${role}`]));
    expect(history[4]!.metadata).toEqual({ source: 'cron', job_id: 'j1' });
    await expect(stores().sessions.appendMessage(say(session.id, 'x', { role: 'narrator' as never }))).rejects.toMatchObject({
      code: 'validation',
      field: 'message.role',
      message: 'message.role: "narrator" is not one of user, assistant, system, tool, event',
    });
  });

  it('hands each reader a message it cannot change for the next reader, binary attachment data included', async () => {
    const session = await stores().sessions.create(newSession('isolated'));
    await stores().sessions.appendMessage(say(session.id, 'hi', { toolCalls: [{ id: 'c1', name: 'search', input: { q: 'x' } }], metadata: { tag: 'a' } }));
    await stores().sessions.appendMessage(say(session.id, 'file', { attachments: [{ mimeType: 'application/octet-stream', data: new Uint8Array([1, 2, 3]) }] }));
    const [plain, withData] = await stores().sessions.history(session.id, 2);
    // A store may hand out frozen values (a change then throws) or copies (a change stays local).
    const tryTo = (change: () => void) => {
      try {
        change();
      } catch {
        // frozen
      }
    };
    tryTo(() => ((plain!.metadata as Record<string, unknown>).tag = 'changed'));
    tryTo(() => ((plain!.toolCalls[0]!.input as Record<string, unknown>).q = 'changed'));
    tryTo(() => (plain!.toolCalls as unknown[]).push('extra'));
    withData!.attachments[0]!.data![0] = 99;
    const [again, dataAgain] = await stores().sessions.history(session.id, 2);
    expect(again!.metadata).toEqual({ tag: 'a' });
    expect(again!.toolCalls).toEqual([{ id: 'c1', name: 'search', input: { q: 'x' } }]);
    expect([...dataAgain!.attachments[0]!.data!]).toEqual([1, 2, 3]);
  });

  it('gives a plain message empty attachments, tool calls, tool results and metadata', async () => {
    const session = await stores().sessions.create(newSession('plain'));
    const message = await stores().sessions.appendMessage(say(session.id, ''));
    expect(message).toMatchObject({ content: '', attachments: [], toolCalls: [], toolResults: [], metadata: {} });
  });

  it('moves the session updatedAt forward on append', async () => {
    const session = await stores().sessions.create(newSession('bump'));
    await sleep(3);
    const message = await stores().sessions.appendMessage(say(session.id, 'hi'));
    const after = await stores().sessions.get(session.id);
    expect(after.updatedAt).toBe(message.createdAt);
    expect(after.updatedAt).toBeGreaterThan(session.updatedAt);
  });

  it('returns the last messages oldest first, in append order even within one millisecond', async () => {
    const session = await stores().sessions.create(newSession('h1'));
    const sent: string[] = [];
    for (let i = 0; i < 120; i++) sent.push((await stores().sessions.appendMessage(say(session.id, `m${i}`))).id);
    expect([...sent].sort()).toEqual(sent);
    const last = await stores().sessions.history(session.id, 50);
    expect(last.map((m) => m.content)).toEqual(Array.from({ length: 50 }, (_, i) => `m${i + 70}`));
    expect((await stores().sessions.history(session.id, 1000)).map((m) => m.id)).toEqual(sent);
    const other = await stores().sessions.create(newSession('h2'));
    expect(await stores().sessions.history(other.id, 5)).toEqual([]);
  });

  it('keeps every one of many concurrent appends to one session, in one stable order', async () => {
    const session = await stores().sessions.create(newSession('conc'));
    const appended = await Promise.all(Array.from({ length: 40 }, (_, i) => stores().sessions.appendMessage(say(session.id, `c${i}`))));
    const history = await stores().sessions.history(session.id, 100);
    expect(history).toHaveLength(40);
    expect(new Set(history.map((m) => m.id))).toEqual(new Set(appended.map((m) => m.id)));
    expect((await stores().sessions.history(session.id, 100)).map((m) => m.id)).toEqual(history.map((m) => m.id));
    expect((await stores().sessions.history(session.id, 10)).map((m) => m.id)).toEqual(history.slice(-10).map((m) => m.id));
  });

  it('answers reads between appends with exactly the newest messages, whatever the limit', async () => {
    const session = await stores().sessions.create(newSession('tail'));
    const contents: string[] = [];
    for (let turn = 0; turn < 30; turn++) {
      for (const role of ['user', 'assistant'] as const) {
        const text = `${role}-${turn}`;
        await stores().sessions.appendMessage({ ...say(session.id, text), role });
        contents.push(text);
      }
      const limit = [5, 51, 3, 200][turn % 4]!;
      expect((await stores().sessions.history(session.id, limit)).map((m) => m.content)).toEqual(contents.slice(-limit));
    }
    // Read twice with nothing appended in between: the same answer.
    const again = await stores().sessions.history(session.id, 7);
    expect((await stores().sessions.history(session.id, 7)).map((m) => m.id)).toEqual(again.map((m) => m.id));
  });

  it('hands out messages a reader cannot change for the next reader', async () => {
    const session = await stores().sessions.create(newSession('frozen'));
    await stores().sessions.appendMessage({ ...say(session.id, 'original'), metadata: { tag: 'a' }, toolResults: [{ callId: 'c1', content: 'r' }] });
    await stores().sessions.history(session.id, 10);
    const [first] = await stores().sessions.history(session.id, 10);
    expect(() => ((first as { content: string }).content = 'changed')).toThrow(TypeError);
    expect(() => ((first!.metadata as { tag: string }).tag = 'b')).toThrow(TypeError);
    expect(() => (first!.toolResults as unknown[]).push({})).toThrow(TypeError);
    const [next] = await stores().sessions.history(session.id, 10);
    expect(next).toMatchObject({ content: 'original', metadata: { tag: 'a' } });
  });

  it('says a session read before is gone once it is deleted', async () => {
    const session = await stores().sessions.create(newSession('gone'));
    await stores().sessions.appendMessage(say(session.id, 'hi'));
    expect(await stores().sessions.history(session.id, 10)).toHaveLength(1);
    await stores().sessions.delete(session.id);
    await expect(stores().sessions.history(session.id, 10)).rejects.toMatchObject({ code: 'not_found' });
  });
  it('counts the messages of many sessions in one read, 0 for a session without any or one that does not exist', async () => {
    const [one, two, empty] = [await stores().sessions.create(newSession('n1')), await stores().sessions.create(newSession('n2')), await stores().sessions.create(newSession('n3'))];
    for (let i = 0; i < 3; i++) await stores().sessions.appendMessage(say(one.id, `a${i}`));
    await stores().sessions.appendMessage(say(two.id, 'b'));
    const unknown = '0190a4d2-0000-7000-8000-000000000000';
    const counts = await countMessages(stores())([one.id, two.id.toUpperCase(), empty.id, unknown]);
    expect(Object.fromEntries(counts)).toEqual({ [one.id]: 3, [two.id]: 1, [empty.id]: 0, [unknown]: 0 });
    expect((await countMessages(stores())([])).size).toBe(0);
    await expect(countMessages(stores())([one.id, 'nope'])).rejects.toMatchObject({ code: 'validation', field: 'sessionIds[1]' });
    await expect(countMessages(stores())(Array.from({ length: 1001 }, () => one.id))).rejects.toMatchObject({ code: 'validation', field: 'sessionIds' });
  });

  it('clears a history: the messages go, the session stays with its id, key, title and metadata, and new messages start it over', async () => {
    const session = await stores().sessions.create({ ...newSession('reset'), title: 'Kept', metadata: { pinned: true } });
    const other = await stores().sessions.create(newSession('untouched'));
    for (let i = 0; i < 4; i++) await stores().sessions.appendMessage(say(session.id, `old${i}`));
    await stores().sessions.appendMessage(say(other.id, 'stays'));
    // Read first, so a store that caches what it read must forget it.
    expect(await stores().sessions.history(session.id, 10)).toHaveLength(4);
    const before = await stores().sessions.get(session.id);
    await sleep(3);

    expect(await clearHistory(stores())(session.id)).toBe(4);

    expect(await stores().sessions.history(session.id, 10)).toEqual([]);
    const after = await stores().sessions.get(session.id);
    expect(after).toMatchObject({ id: session.id, key: session.key, title: 'Kept', metadata: { pinned: true }, createdAt: session.createdAt });
    expect(after.updatedAt).toBeGreaterThan(before.updatedAt);
    expect(Object.fromEntries(await countMessages(stores())([session.id, other.id]))).toEqual({ [session.id]: 0, [other.id]: 1 });
    await stores().sessions.appendMessage(say(session.id, 'new0'));
    await stores().sessions.appendMessage(say(session.id, 'new1'));
    expect((await stores().sessions.history(session.id, 10)).map((m) => m.content)).toEqual(['new0', 'new1']);
    expect((await stores().sessions.history(session.id, 1)).map((m) => m.content)).toEqual(['new1']);
    expect(await clearHistory(stores())(other.id)).toBe(1);
    expect(await clearHistory(stores())(other.id)).toBe(0);
  });

  it('says NotFound when clearing the history of an unknown session, and Validation for an id that is not a UUID', async () => {
    await expect(clearHistory(stores())('0190a4d2-0000-7000-8000-000000000000')).rejects.toMatchObject({ code: 'not_found' });
    await expect(clearHistory(stores())('main:telegram:c1')).rejects.toMatchObject({ code: 'validation', field: 'sessionId' });
  });
}

/**
 * The operations that came after SDK 1.0 are optional in the `SessionStore` type, so a store
 * built against 1.0 still loads; the suite expects them, and says which is missing.
 */
function countMessages(set: StoreSet): NonNullable<StoreSet['sessions']['countMessages']> {
  const op = set.sessions.countMessages;
  if (!op) throw new Error('SessionStore.countMessages is missing: optional for stores built against SDK 1.0, but part of the current contract (`nexus sessions list` counts with it)');
  return op.bind(set.sessions);
}

function clearHistory(set: StoreSet): NonNullable<StoreSet['sessions']['clearHistory']> {
  const op = set.sessions.clearHistory;
  if (!op) throw new Error('SessionStore.clearHistory is missing: optional for stores built against SDK 1.0, but part of the current contract (`nexus sessions reset` clears with it)');
  return op.bind(set.sessions);
}
