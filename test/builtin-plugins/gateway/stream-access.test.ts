import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { SessionStoreToken } from '@nexus/plugin-sdk';
import { openaiBaseUrl, startFakeOpenAI, textReply, type FakeLlmServer } from '../../fixtures/llm-servers/index.js';
import { openStream } from '../../e2e/harness/gateway-stream.js';
import { call, createApiKey, creds, failure, startGateway } from './gateway-test-kit.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
const agentPlugins = [join(builtins, 'agent'), join(builtins, 'openai'), join(builtins, 'workspace')];

/** A gateway with a model, an admin (the first key) and two users, with their keys. */
async function people(llm: FakeLlmServer) {
  const llmSettings = { llm: { default_provider: 'openai', providers: { openai: { base_url: openaiBaseUrl(llm), api_key: 'sk-test', default_model: 'gpt-test', max_retries: 0 } } } };
  const gw = await startGateway({ settings: llmSettings, with: agentPlugins });
  const key = async (name: string, user?: string) => (await createApiKey(gw.kernel, name, user)).key;
  const keys = { admin: await key('ops'), alice: await key('alice-key', 'alice'), bob: await key('bob-key', 'bob') };
  return { gw, keys, md: { admin: creds({ apiKey: keys.admin }), alice: creds({ apiKey: keys.alice }), bob: creds({ apiKey: keys.bob }) } };
}

const sent = (llm: FakeLlmServer) => llm.streamRequests.map((r) => JSON.stringify(r.body));

describe('the Stream: who may send into and watch which session', () => {
  it("refuses Bob's message into Alice's session as if it did not exist: nothing is stored, the model never sees her prompt or history", async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('aye'));
    const { gw, keys, md } = await people(llm);
    const pirate = await call(gw.agents, 'createAgent', { name: 'pirate', systemPrompt: 'ALICE-PRIVATE-PROMPT', model: '' }, md.alice);
    const hers = await call(gw.sessions, 'createSession', { agentId: pirate.id, channel: '', channelId: 'deck', title: '', metadata: {} }, md.alice);
    const alice = openStream(gw.target, { apiKey: keys.alice });
    alice.send('my secret plan', { sessionId: hers.id });
    expect((await alice.turnEnds(1))[0]).toMatchObject({ $case: 'messageComplete' });
    expect(sent(llm)[0]).toContain('ALICE-PRIVATE-PROMPT');

    const bob = openStream(gw.target, { apiKey: keys.bob });
    bob.send('what was the plan?', { sessionId: hers.id });
    const [refused] = await bob.turnEnds(1);
    expect(refused).toEqual({
      $case: 'errorNotification',
      value: { code: 'session_not_found', message: `session "${hers.id}" not found; omit session_id to continue your own session`, details: '', sessionId: hers.id, messageId: '' },
    });
    expect(llm.streamRequests).toHaveLength(1);
    expect((await (await gw.kernel.services.get(SessionStoreToken)).history(hers.id, 10)).map((m) => m.content)).toEqual(['my secret plan', 'aye']);

    // An admin reaches it.
    const admin = openStream(gw.target, { apiKey: keys.admin });
    admin.send('audit', { sessionId: hers.id });
    expect((await admin.turnEnds(1))[0]).toMatchObject({ $case: 'messageComplete', value: { sessionId: hers.id } });
  });

  it("refuses a turn with another user's private agent even in a session of one's own, until an admin shares the agent", async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('ok'));
    const { gw, keys, md } = await people(llm);
    const pirate = await call(gw.agents, 'createAgent', { name: 'pirate', systemPrompt: 'ALICE-PRIVATE-PROMPT', model: '' }, md.alice);
    const refused = await failure(call(gw.sessions, 'createSession', { agentId: pirate.id, channel: '', channelId: 'mine', title: '', metadata: {} }, md.bob));
    expect(refused.code).toBe(status.PERMISSION_DENIED);
    // An admin makes Bob such a session anyway, and hands it to him.
    const made = await call(gw.sessions, 'createSession', { agentId: pirate.id, channel: '', channelId: 'for-bob', title: '', metadata: {} }, md.admin);
    await call(gw.sessions, 'updateSession', { id: made.id, metadata: {}, removeMetadataKeys: [], ownerId: 'bob' }, md.admin);

    const bob = openStream(gw.target, { apiKey: keys.bob });
    bob.send('hello', { sessionId: made.id });
    expect((await bob.turnEnds(1))[0]).toMatchObject({
      $case: 'errorNotification',
      value: { code: 'permission_denied', message: `agent ${pirate.id} belongs to another user; ask its owner to share it, or use a session of your own` },
    });
    expect(llm.streamRequests).toHaveLength(0);

    await call(gw.agents, 'updateAgent', { id: pirate.id, shared: true }, md.admin);
    bob.send('hello again', { sessionId: made.id });
    expect((await bob.turnEnds(2))[1]).toMatchObject({ $case: 'messageComplete' });
    expect(sent(llm)[0]).toContain('ALICE-PRIVATE-PROMPT');
    expect(await call(gw.sessions, 'createSession', { agentId: pirate.id, channel: '', channelId: 'own', title: '', metadata: {} }, md.bob)).toMatchObject({ ownerId: 'bob' });
  });

  it("does not let Bob watch Alice's turns: subscribing answers as for a missing session, and nothing of hers arrives", async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('private ', 'answer'));
    const { gw, keys, md } = await people(llm);
    const hers = await call(gw.sessions, 'createSession', { agentId: '', channel: '', channelId: 'diary', title: '', metadata: {} }, md.alice);

    const bob = openStream(gw.target, { apiKey: keys.bob });
    bob.subscribe(hers.id);
    const admin = openStream(gw.target, { apiKey: keys.admin });
    admin.subscribe(hers.id);
    for (const watcher of [bob, admin]) {
      watcher.ping();
      await watcher.until(() => watcher.all('pong').length === 1, 'pong');
    }
    expect(bob.all('errorNotification')).toEqual([{ code: 'session_not_found', message: `session "${hers.id}" not found; cannot subscribe to it`, details: '', sessionId: hers.id, messageId: '' }]);
    expect(admin.all('errorNotification')).toEqual([]);

    const alice = openStream(gw.target, { apiKey: keys.alice });
    alice.send('dear diary', { sessionId: hers.id });
    await alice.turnEnds(1);
    // The admin's subscription saw the turn; by then Bob's would have too.
    expect((await admin.turnEnds(1))[0]).toMatchObject({ $case: 'messageComplete', value: { sessionId: hers.id } });
    expect(bob.all('messageChunk')).toEqual([]);
    expect(bob.all('messageComplete')).toEqual([]);
  });

  it("runs a user's messages without a session_id in its own session, and says so when that key is held by someone else", async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('hi'));
    const { gw, keys, md } = await people(llm);
    const alice = openStream(gw.target, { apiKey: keys.alice });
    alice.send('hello');
    const [done] = await alice.turnEnds(1);
    const own = await call(gw.sessions, 'getSession', { id: done!.value.sessionId, key: '' }, md.alice);
    expect(own).toMatchObject({ key: 'main:api:alice', ownerId: 'alice' });

    // Bob's default session key was stored before sessions had owners: it is the system's now.
    await (await gw.kernel.services.get(SessionStoreToken)).create({ agentId: 'main', channel: 'api', key: 'main:api:bob' });
    const bob = openStream(gw.target, { apiKey: keys.bob });
    bob.send('hello');
    expect((await bob.turnEnds(1))[0]).toMatchObject({
      $case: 'errorNotification',
      value: {
        code: 'permission_denied',
        message: 'your session main:api:bob belongs to the system (it was stored before sessions had owners); an admin can hand it to you (UpdateSession owner_id); name a session with session_id',
      },
    });
    expect(llm.streamRequests).toHaveLength(1);
  });
});
