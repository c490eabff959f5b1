import type { ContractTestApi } from '../../contract-suite/contract-test-api.js';
import { STORE_LIMITS, type NewMessage } from '../../contracts/index.js';
import type { StoreSet } from '../store-set.js';

export function badInputContract({ it, expect }: ContractTestApi, stores: () => StoreSet): void {
  async function sessionWithOneMessage() {
    const session = await stores().sessions.create({ agentId: 'main', channel: 'test', key: `main:test:${Math.random()}` });
    await stores().sessions.appendMessage({ sessionId: session.id, role: 'user', content: 'kept' });
    return stores().sessions.get(session.id);
  }

  /** The append is refused with a ValidationError about `field`, and nothing about the session changed. */
  async function refused(message: (sessionId: string) => NewMessage, field: string, says: RegExp) {
    const session = await sessionWithOneMessage();
    const error = await stores().sessions.appendMessage(message(session.id)).then(
      () => undefined,
      (e: unknown) => e,
    );
    // The plugin is loaded through its own module copy, so the error is matched by name and code.
    expect(error).toMatchObject({ name: 'ValidationError', code: 'validation', field });
    expect((error as Error).message).toMatch(says);
    expect((await stores().sessions.history(session.id, 10)).map((m) => m.content)).toEqual(['kept']);
    expect(await stores().sessions.get(session.id)).toEqual(session);
  }

  it('refuses content over the size limit and keeps content right at it', async () => {
    await refused((id) => ({ sessionId: id, role: 'user', content: 'x'.repeat(STORE_LIMITS.messageContentBytes + 1) }), 'message.content', /1048577 bytes of UTF-8; the limit is 1048576/);
    // Multi-byte characters count as bytes, not characters.
    await refused((id) => ({ sessionId: id, role: 'user', content: 'é'.repeat(STORE_LIMITS.messageContentBytes / 2 + 1) }), 'message.content', /the limit is 1048576/);
    const session = await sessionWithOneMessage();
    const big = 'y'.repeat(STORE_LIMITS.messageContentBytes);
    await stores().sessions.appendMessage({ sessionId: session.id, role: 'assistant', content: big });
    expect((await stores().sessions.history(session.id, 1))[0]!.content).toBe(big);
  });

  it('refuses text that is not valid Unicode (a lone surrogate) anywhere in a message', async () => {
    await refused((id) => ({ sessionId: id, role: 'user', content: 'broken \uD83D here' }), 'message.content', /lone surrogate U\+D83D at index 7/);
    await refused((id) => ({ sessionId: id, role: 'user', content: 'ok', metadata: { note: 'tail \uDC00' } }), 'message.metadata.note', /lone surrogate/);
    await refused((id) => ({ sessionId: id, role: 'tool', content: 'ok', toolResults: [{ callId: 'c', content: '\uDFFF' }] }), 'message.toolResults[0].content', /lone surrogate/);
    await refused((id) => ({ sessionId: id, role: 'assistant', content: 'ok', toolCalls: [{ id: 'c', name: 'n', input: { ['k\uD800']: 1 } }] }), 'message.toolCalls[0].input key', /lone surrogate/);
  });

  it('refuses NUL characters, which PostgreSQL cannot store, on every backend alike', async () => {
    await refused((id) => ({ sessionId: id, role: 'user', content: 'a\u0000b' }), 'message.content', /NUL character \(U\+0000\) at index 1/);
  });

  it('refuses values that are not JSON in metadata and tool input', async () => {
    await refused((id) => ({ sessionId: id, role: 'user', content: 'ok', metadata: { n: Number.NaN } }), 'message.metadata.n', /NaN is not a JSON number/);
    await refused((id) => ({ sessionId: id, role: 'user', content: 'ok', metadata: { big: 10n } as never }), 'message.metadata.big', /cannot be stored as JSON/);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    await refused((id) => ({ sessionId: id, role: 'assistant', content: 'ok', toolCalls: [{ id: 'c', name: 'n', input: loop }] }), 'message.toolCalls', /nests deeper than 64 levels/);
    await refused((id) => ({ sessionId: id, role: 'user', content: 'ok', metadata: new Map() as never }), 'message.metadata', /must be a plain object, not a Map/);
  });

  it('refuses attachments that are too large together or whose data is not bytes', async () => {
    const half = new Uint8Array(STORE_LIMITS.attachmentBytes / 2 + 1);
    await refused((id) => ({ sessionId: id, role: 'user', content: 'ok', attachments: [{ mimeType: 'a/b', data: half }, { mimeType: 'a/b', data: half }] }), 'message.attachments', /more than 16777216 bytes/);
    await refused((id) => ({ sessionId: id, role: 'user', content: 'ok', attachments: [{ mimeType: 'a/b', data: 'aGk=' as never }] }), 'message.attachments[0].data', /Uint8Array/);
    await refused((id) => ({ sessionId: id, role: 'user', content: 'ok', attachments: [{ mimeType: '' }] }), 'message.attachments[0].mimeType', /must not be empty/);
  });

  it('refuses an unknown role', async () => {
    await refused((id) => ({ sessionId: id, role: 'robot' as never, content: 'ok' }), 'message.role', /"robot" is not one of user, assistant, system, tool/);
  });

  it('says NotFound for a message to an unknown session and Validation for a malformed session id, writing nothing', async () => {
    await expect(stores().sessions.appendMessage({ sessionId: '0190a4d2-0000-7000-8000-000000000000', role: 'user', content: 'x' })).rejects.toMatchObject({ code: 'not_found', message: 'session "0190a4d2-0000-7000-8000-000000000000" not found' });
    await expect(stores().sessions.appendMessage({ sessionId: 'main:telegram:42', role: 'user', content: 'x' })).rejects.toMatchObject({ code: 'validation', field: 'message.sessionId' });
    await expect(stores().sessions.history('nope', 10)).rejects.toMatchObject({ code: 'validation', field: 'sessionId' });
  });

  it('refuses bad session fields, page sizes and cursors', async () => {
    await expect(stores().sessions.create({ agentId: '', channel: 'c', key: 'k' })).rejects.toMatchObject({ code: 'validation', field: 'session.agentId' });
    await expect(stores().sessions.create({ agentId: 'a', channel: 'c', key: 'k'.repeat(STORE_LIMITS.sessionKeyChars + 1) })).rejects.toMatchObject({ code: 'validation', field: 'session.key' });
    await expect(stores().sessions.create({ agentId: 'a', channel: 'c', key: 'a:c:\uD800' })).rejects.toMatchObject({ code: 'validation', field: 'session.key' });
    await expect(stores().sessions.list({}, { limit: 0 })).rejects.toMatchObject({ code: 'validation', field: 'page.limit' });
    await expect(stores().sessions.list({}, { limit: STORE_LIMITS.pageSize + 1 })).rejects.toMatchObject({ code: 'validation', field: 'page.limit' });
    await expect(stores().sessions.list({}, { limit: 5, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'validation', field: 'page.cursor' });
    await expect(stores().agents.list('u', { limit: 1.5 })).rejects.toMatchObject({ code: 'validation', field: 'page.limit' });
    const session = await sessionWithOneMessage();
    await expect(stores().sessions.history(session.id, 0)).rejects.toMatchObject({ code: 'validation', field: 'limit' });
    await expect(stores().channelConnections.upsert({ userId: 'u', channel: 'c', accountId: 'a', status: 'up' as never })).rejects.toMatchObject({ code: 'validation', field: 'connection.status' });
    await expect(stores().users.findOrCreate({ provider: 'github', providerId: '' })).rejects.toMatchObject({ code: 'validation', field: 'identity.providerId' });
  });
}
