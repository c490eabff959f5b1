import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Message, NewMessage } from '@nexus/plugin-sdk';
import { createMemoryStores } from '../../../src/builtin-plugins/storage-memory/index.js';
import { memoryPluginDir, openThroughKernel, sqlitePluginDir, storeKernel, tempDir } from './storage-test-kit.js';

const clock = { now: () => Date.now() };
const newSession = (conversation: string) => ({ agentId: 'main', channel: 'test', key: `main:test:${conversation}` });

/** Tries a change; a frozen value throws, which is as good as a change that stays local. */
function tryTo(change: () => void): void {
  try {
    change();
  } catch {
    // frozen
  }
}

/** Every own key, in order, with each value's kind, all the way down: a stricter equality than toEqual. */
function shape(value: unknown): unknown {
  if (value instanceof Uint8Array) return ['bytes', ...value];
  if (Array.isArray(value)) return ['array', value.length, ...value.map(shape)];
  if (typeof value === 'object' && value !== null) {
    return ['object', Object.getPrototypeOf(value) === Object.prototype, ...Reflect.ownKeys(value).map((k) => [k, shape((value as Record<PropertyKey, unknown>)[k])])];
  }
  return Object.is(value, -0) ? '-0' : [typeof value, value];
}

function withoutIdentity({ id: _id, sessionId: _sessionId, createdAt: _createdAt, ...rest }: Message): unknown {
  return shape(rest);
}

describe('storage-memory keeps values, not JSON text', () => {
  it('hands back exactly what SQLite reads back from its JSON columns, for values JSON changes', async () => {
    const sparse: unknown[] = ['a'];
    sparse[2] = 'c';
    const message = (sessionId: string): NewMessage => ({
      sessionId,
      role: 'assistant',
      content: 'odd values',
      attachments: [{ mimeType: 'a/b', url: 'https://example.test/x', name: 'x' }, { mimeType: 'c/d', data: new Uint8Array([7, 8]) }],
      toolCalls: [{ id: 'c1', name: 'n', input: { zero: -0, sparse, drop: undefined, 10: 'ten', 2: 'two' } }, { id: 'c2', name: 'n', input: undefined }],
      toolResults: [{ callId: 'c1', content: 'ok' }],
      metadata: { ...(JSON.parse('{"__proto__": {"p": 1}}') as object), list: [-0, null], nested: { drop: undefined, keep: 'é🐙' } },
    });
    const memory = createMemoryStores(clock);
    await using sqliteKernel = storeKernel(sqlitePluginDir, { path: join(tempDir(), 'nexus.db') });
    const sqlite = (await openThroughKernel(sqliteKernel)).stores;

    const inMemory = await memory.sessions.create(newSession('same'));
    const inSqlite = await sqlite.sessions.create(newSession('same'));
    const appended = [await memory.sessions.appendMessage(message(inMemory.id)), await sqlite.sessions.appendMessage(message(inSqlite.id))];
    expect(withoutIdentity(appended[0]!)).toEqual(withoutIdentity(appended[1]!));
    const [read] = await memory.sessions.history(inMemory.id, 1);
    const [readSqlite] = await sqlite.sessions.history(inSqlite.id, 1);
    expect(withoutIdentity(read!)).toEqual(withoutIdentity(readSqlite!));
  });

  it('keeps what was appended even if the caller changes its objects and bytes afterwards', async () => {
    const stores = createMemoryStores(clock);
    const session = await stores.sessions.create(newSession('caller'));
    const metadata = { tags: ['a'], nested: { n: 1 } };
    const input = { q: 'x' };
    const data = new Uint8Array([1, 2, 3]);
    await stores.sessions.appendMessage({ sessionId: session.id, role: 'user', content: 'hi', metadata, toolCalls: [{ id: 'c', name: 'n', input }], attachments: [{ mimeType: 'a/b', data }] });
    metadata.tags.push('b');
    metadata.nested.n = 2;
    input.q = 'changed';
    data[0] = 99;
    const [kept] = await stores.sessions.history(session.id, 1);
    expect(kept!.metadata).toEqual({ tags: ['a'], nested: { n: 1 } });
    expect(kept!.toolCalls[0]!.input).toEqual({ q: 'x' });
    expect([...kept!.attachments[0]!.data!]).toEqual([1, 2, 3]);
  });

  it('hands out history in a fresh array each time', async () => {
    const stores = createMemoryStores(clock);
    const session = await stores.sessions.create(newSession('fresh'));
    await stores.sessions.appendMessage({ sessionId: session.id, role: 'user', content: 'one' });
    const first = await stores.sessions.history(session.id, 10);
    tryTo(() => (first as Message[]).push(first[0]!));
    tryTo(() => (first as Message[]).splice(0, 1));
    expect((await stores.sessions.history(session.id, 10)).map((m) => m.content)).toEqual(['one']);
  });

  it('gives each reader of a message with bytes its own bytes, in history alongside shared messages', async () => {
    const stores = createMemoryStores(clock);
    const session = await stores.sessions.create(newSession('bytes'));
    const appended = await stores.sessions.appendMessage({ sessionId: session.id, role: 'user', content: 'file', attachments: [{ mimeType: 'a/b', name: 'f', data: new Uint8Array([5]) }, { mimeType: 'c/d' }] });
    await stores.sessions.appendMessage({ sessionId: session.id, role: 'assistant', content: 'plain' });
    appended.attachments[0]!.data![0] = 6;
    const [first, second] = await stores.sessions.history(session.id, 2);
    expect(first!.attachments).toEqual([{ mimeType: 'a/b', name: 'f', data: new Uint8Array([5]) }, { mimeType: 'c/d' }]);
    first!.attachments[0]!.data![0] = 7;
    expect([...(await stores.sessions.history(session.id, 2))[0]!.attachments[0]!.data!]).toEqual([5]);
    expect(second!.content).toBe('plain');
  });
});

describe('storage-memory session metadata, parsed once per change', () => {
  it('is not changed by a reader, nor by the caller changing what it passed in', async () => {
    const stores = createMemoryStores(clock);
    const metadata = { lang: 'en', nested: { n: 1 } };
    const created = await stores.sessions.create({ ...newSession('meta'), metadata });
    metadata.nested.n = 2;
    const read = await stores.sessions.get(created.id);
    tryTo(() => ((read.metadata as Record<string, unknown>).lang = 'fr'));
    tryTo(() => ((read.metadata.nested as Record<string, unknown>).n = 3));
    tryTo(() => ((created.metadata as Record<string, unknown>).extra = true));
    expect((await stores.sessions.get(created.id)).metadata).toEqual({ lang: 'en', nested: { n: 1 } });
    expect((await stores.sessions.getByKey(created.key)).metadata).toEqual({ lang: 'en', nested: { n: 1 } });
  });

  it('follows an update, and an update without metadata keeps it', async () => {
    const stores = createMemoryStores(clock);
    const created = await stores.sessions.create({ ...newSession('update'), metadata: { v: 1 } });
    expect((await stores.sessions.get(created.id)).metadata).toEqual({ v: 1 });
    const patch = { v: 2, list: [1] };
    expect((await stores.sessions.update(created.id, { metadata: patch })).metadata).toEqual({ v: 2, list: [1] });
    patch.list.push(2);
    expect((await stores.sessions.get(created.id)).metadata).toEqual({ v: 2, list: [1] });
    await stores.sessions.update(created.id, { title: 'titled' });
    expect(await stores.sessions.get(created.id)).toMatchObject({ title: 'titled', metadata: { v: 2, list: [1] } });
    expect((await stores.sessions.list({ agentId: 'main' }, { limit: 5 })).items[0]!.metadata).toEqual({ v: 2, list: [1] });
  });

  it('still refuses bad metadata with the same errors, changing nothing', async () => {
    const stores = createMemoryStores(clock);
    const created = await stores.sessions.create({ ...newSession('bad'), metadata: { ok: true } });
    await expect(stores.sessions.update(created.id, { metadata: { n: Number.NaN } })).rejects.toMatchObject({ code: 'validation', field: 'session.metadata.n', message: 'session.metadata.n: NaN is not a JSON number' });
    await expect(stores.sessions.create({ ...newSession('bad2'), metadata: { k: 'x\uD800' } })).rejects.toMatchObject({ code: 'validation', field: 'session.metadata.k' });
    expect((await stores.sessions.get(created.id)).metadata).toEqual({ ok: true });
  });
});

describe('storage-memory through the kernel', () => {
  it('loads the plugin that keeps values', async () => {
    await using kernel = storeKernel(memoryPluginDir, { url: 'memory:' });
    const { stores } = await openThroughKernel(kernel);
    const session = await stores.sessions.create(newSession('kernel'));
    const message = await stores.sessions.appendMessage({ sessionId: session.id, role: 'user', content: 'hi', metadata: { a: [1] } });
    expect(Object.isFrozen(message.metadata)).toBe(true);
    expect(await stores.sessions.history(session.id, 1)).toEqual([message]);
  });
});
