import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionStoreToken, TurnServiceToken, type Message, type TurnService } from '@nexus/plugin-sdk';
import { httpError, openaiBaseUrl, startFakeOpenAI, textReply, toolCallReply, type FakeLlmServer } from '../../fixtures/llm-servers/index.js';
import { openStream } from '../../e2e/harness/gateway-stream.js';
import { tempDir, writePlugin } from '../../helpers/fixtures.js';
import { DraftChannelProbeToken } from './fixtures/draft-channel/index.js';
import { createApiKey, startGateway, type RunningGateway } from './gateway-test-kit.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
const draftChannelDir = join(import.meta.dirname, 'fixtures/draft-channel');

/** A message.sending policy: vetoes replies that mention a secret, signs the others. */
function sendingPolicy(): string {
  return writePlugin(tempDir(), {
    id: 'sending-policy',
    manifest: { contributes: { hooks: [{ name: 'message.sending', description: 'Vetoes secrets, signs the rest.' }] } },
    entry: `import { definePlugin } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) { ctx.onModify('message.sending', (m) => (m.content.includes('secret') ? { ...m, cancel: 'mentions a secret' } : { ...m, content: m.content + ' -- signed' })); } });`,
  });
}

/** A real gateway with the agent runtime, the OpenAI provider against a fake server, and the drafty channel. */
async function gateway(llm: FakeLlmServer, extra: readonly string[] = []): Promise<RunningGateway> {
  return startGateway({
    settings: { llm: { default_provider: 'openai', providers: { openai: { base_url: openaiBaseUrl(llm), api_key: 'sk-test', default_model: 'gpt-test', max_retries: 0 } } } },
    with: [join(builtins, 'agent'), join(builtins, 'openai'), draftChannelDir, ...extra],
  });
}

async function stored(gw: RunningGateway, sessionId: string): Promise<readonly Message[]> {
  return (await gw.kernel.services.get(SessionStoreToken)).history(sessionId, 50);
}

/** The text parts of the (non-system) messages the model was sent in request `index`, in order. */
function sentTexts(llm: FakeLlmServer, index: number): string[] {
  const messages = llm.streamRequests[index]!.body.messages as { role: string; content: string | { type: string; text?: string }[] }[];
  return messages.filter((m) => m.role !== 'system').flatMap((m) => (typeof m.content === 'string' ? [m.content] : m.content.map((p) => p.text ?? '')));
}

describe('channel replies: a draft edited in place', () => {
  it('streams the reply into the draft, whole text each time, and finishes it with the final text after message.sending', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('Hel', 'lo ', 'world'));
    const gw = await gateway(llm, [sendingPolicy()]);
    const probe = await gw.kernel.services.get(DraftChannelProbeToken);
    await probe.receive('hi');
    expect(probe.drafts).toEqual([{ target: 'ada', inbound: 'hi', updates: ['Hel', 'Hello ', 'Hello world'], finished: 'Hello world -- signed' }]);
    expect(probe.sent).toEqual([]);
    expect(probe.misuse).toEqual([]);
    // The channel binds no lifecycle or conversation resolver: nothing to start, the sender scopes the session.
    expect(gw.kernel.logs.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('abandons the draft when a message.sending handler vetoes the reply, and sends nothing', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('the secret ', 'is 42'));
    const gw = await gateway(llm, [sendingPolicy()]);
    const probe = await gw.kernel.services.get(DraftChannelProbeToken);
    await probe.receive('tell me');
    expect(probe.drafts).toEqual([{ target: 'ada', inbound: 'tell me', updates: ['the secret ', 'the secret is 42'], abandoned: 'a message.sending handler cancelled the reply: mentions a secret' }]);
    expect(probe.sent).toEqual([]);
  });

  it('abandons the draft when the turn fails, naming the failure', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(httpError(401));
    const gw = await gateway(llm);
    const probe = await gw.kernel.services.get(DraftChannelProbeToken);
    await probe.receive('hi');
    expect(probe.drafts).toEqual([{ target: 'ada', inbound: 'hi', updates: [], abandoned: 'the turn ended without an answer (auth)' }]);
    expect(probe.misuse).toEqual([]);
  });
});

describe('TurnService (nexus.gateway.turns)', () => {
  it('runs a turn in a session it creates from channel and conversation, streaming the whole text so far to onText', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('All ', 'good'));
    const gw = await gateway(llm);
    const turns: TurnService = await gw.kernel.services.get(TurnServiceToken);
    const texts: string[] = [];
    const result = await turns.run({ session: { channel: 'cron', conversationId: 'job-1' }, message: 'check the disks', metadata: { cron: { job: 'job-1' } }, onText: (t) => texts.push(t) });
    expect(result).toMatchObject({ status: 'done', sessionKey: 'main:cron:job-1', text: 'All good', messageId: expect.any(String) });
    expect(texts).toEqual(['All ', 'All good']);
    const session = await (await gw.kernel.services.get(SessionStoreToken)).getByKey('main:cron:job-1');
    expect(session).toMatchObject({ id: result.sessionId, channel: 'cron', agentId: 'main' });
    expect(session.ownerId).toBeUndefined();
    const messages = await stored(gw, result.sessionId);
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'check the disks'],
      ['assistant', 'All good'],
    ]);
    expect(messages[0]!.metadata).toMatchObject({ cron: { job: 'job-1' }, channel: 'cron', account_id: 'system' });
  });

  it('gives a session it creates to ownerId, and runs in an existing session named by key', async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('ok'));
    const gw = await gateway(llm);
    const turns = await gw.kernel.services.get(TurnServiceToken);
    const first = await turns.run({ session: { channel: 'mcp', conversationId: 'ada-tools', agentId: 'helper' }, message: 'one', ownerId: 'ada' });
    expect(first).toMatchObject({ status: 'done', sessionKey: 'helper:mcp:ada-tools' });
    expect(await (await gw.kernel.services.get(SessionStoreToken)).get(first.sessionId)).toMatchObject({ ownerId: 'ada', agentId: 'helper' });
    const again = await turns.run({ session: { key: 'helper:mcp:ada-tools' }, message: 'two' });
    expect(again.sessionId).toBe(first.sessionId);
    expect((await stored(gw, first.sessionId)).map((m) => m.content)).toEqual(['one', 'ok', 'two', 'ok']);
    await expect(turns.run({ session: { key: 'no-colons' }, message: 'x' })).rejects.toThrow('no session has the key "no-colons", and one can be made only for a key of the form <agent>:<channel>:<conversation>');
  });

  it('runs the turn with the model and the iteration limit it names', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('from the other model'));
    llm.always(toolCallReply([{ name: 'no_such_tool', input: {} }]));
    const gw = await gateway(llm);
    const turns = await gw.kernel.services.get(TurnServiceToken);
    expect(await turns.run({ session: { channel: 'cron', conversationId: 'm' }, message: 'hi', model: 'openai/gpt-other' })).toMatchObject({ status: 'done', text: 'from the other model' });
    expect(llm.streamRequests[0]!.body.model).toBe('gpt-other');
    const limited = await turns.run({ session: { channel: 'cron', conversationId: 'loop' }, message: 'loop', maxIterations: 1 });
    expect(limited).toMatchObject({ status: 'error', code: 'max_iterations', transient: false, message: expect.stringContaining('after 1 model calls') });
    expect(llm.streamRequests).toHaveLength(2);
    expect(llm.streamRequests[1]!.body.model).toBe('gpt-test');
  });

  it('says whether a failure is transient, as the provider failure is classified', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(httpError(429), httpError(401));
    const gw = await gateway(llm);
    const turns = await gw.kernel.services.get(TurnServiceToken);
    const session = { channel: 'cron', conversationId: 'fails' };
    expect(await turns.run({ session, message: 'one' })).toMatchObject({ status: 'error', code: 'rate_limit', transient: true });
    expect(await turns.run({ session, message: 'two' })).toMatchObject({ status: 'error', code: 'auth', transient: false });
  });

  it('stops a turn that outlasts timeoutMs: status timeout, code turn_timeout, the inbound message stored', async () => {
    await using llm = await startFakeOpenAI();
    llm.push({ kind: 'stream', text: ['partial'], end: 'stall' });
    const gw = await gateway(llm);
    const turns = await gw.kernel.services.get(TurnServiceToken);
    const result = await turns.run({ session: { channel: 'cron', conversationId: 'slow' }, message: 'take your time', timeoutMs: 300 });
    expect(result).toMatchObject({ status: 'timeout', code: 'turn_timeout', transient: false, message: 'the turn was stopped after 300 ms (the timeoutMs its caller set)' });
    const messages = await stored(gw, result.sessionId);
    expect(messages[0]).toMatchObject({ role: 'user', content: 'take your time' });
  });

  it('reports a turn cancelled by its signal as cancelled', async () => {
    await using llm = await startFakeOpenAI();
    const gw = await gateway(llm);
    const turns = await gw.kernel.services.get(TurnServiceToken);
    const controller = new AbortController();
    controller.abort(new Error('the job was deleted'));
    const result = await turns.run({ session: { channel: 'cron', conversationId: 'gone' }, message: 'never', signal: controller.signal });
    expect(result).toMatchObject({ status: 'cancelled', code: 'cancelled', transient: false, message: 'the turn was cancelled before it started: the job was deleted' });
    expect(llm.streamRequests).toHaveLength(0);
  });

  it('refuses turns once the gateway drains: interrupted, code unavailable, transient, nothing stored', async () => {
    await using llm = await startFakeOpenAI();
    const gw = await gateway(llm);
    const turns = await gw.kernel.services.get(TurnServiceToken);
    await gw.kernel.hooks.emit('kernel.stopping', { reason: 'test' });
    const result = await turns.run({ session: { channel: 'cron', conversationId: 'late' }, message: 'too late' });
    expect(result).toMatchObject({ status: 'interrupted', code: 'unavailable', transient: true, message: expect.stringContaining('the gateway is shutting down') });
    expect(await stored(gw, result.sessionId)).toEqual([]);
    expect(llm.streamRequests).toHaveLength(0);
  });

  it('keeps a silent turn from the session subscribers and from the history later turns send the model', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('first answer'), textReply('quietly noted'), textReply('second answer'));
    const gw = await gateway(llm);
    const turns = await gw.kernel.services.get(TurnServiceToken);
    const session = { channel: 'heartbeat', conversationId: 'main' };
    const first = await turns.run({ session, message: 'first' });
    const { key } = await createApiKey(gw.kernel, 'admin');
    const stream = openStream(gw.target, { apiKey: key });
    stream.subscribe(first.sessionId);
    stream.ping();
    await stream.until(() => stream.all('pong').length === 1, 'the pong after subscribing');

    const onText: string[] = [];
    const silent = await turns.run({ session, message: 'flush your memory', silent: true, onText: (t) => onText.push(t) });
    expect(silent).toMatchObject({ status: 'done', text: 'quietly noted' });
    expect(onText).toEqual(['quietly noted']);
    expect(await turns.run({ session, message: 'second' })).toMatchObject({ status: 'done', text: 'second answer' });
    const [end] = await stream.turnEnds(1);
    expect(end).toMatchObject({ $case: 'messageComplete', value: { message: { content: 'second answer' } } });
    // Only the second turn reached the subscriber: no chunk, no start, no end of the silent one.
    expect(stream.all('messageChunk').map((c) => c.content).join('')).toBe('second answer');
    expect(stream.all('messageComplete')).toHaveLength(1);

    const messages = await stored(gw, first.sessionId);
    expect(messages.filter((m) => m.metadata.silent === true).map((m) => [m.role, m.content])).toEqual([
      ['user', 'flush your memory'],
      ['assistant', 'quietly noted'],
    ]);
    expect(sentTexts(llm, 2)).toEqual(['first', 'first answer', 'second']);
  });

  it('puts a system event into a session without a model call, and later turns show it to the model as a marked note', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('I will check the oven'));
    const gw = await gateway(llm);
    const turns = await gw.kernel.services.get(TurnServiceToken);
    const appended = await turns.appendSystemEvent({ session: { key: 'main:telegram:42' }, text: 'Reminder: the oven is on', metadata: { cron: { job: 'oven' } } });
    expect(appended.sessionKey).toBe('main:telegram:42');
    expect(llm.streamRequests).toHaveLength(0);
    const [event] = await stored(gw, appended.sessionId);
    expect(event).toMatchObject({ role: 'event', content: 'Reminder: the oven is on', metadata: { cron: { job: 'oven' } } });

    await turns.run({ session: { key: 'main:telegram:42' }, message: 'anything new?' });
    // The note and the question are one user message (the wire joins its text parts with a blank line).
    expect(sentTexts(llm, 0)).toEqual([`[System event at ${new Date(event!.createdAt).toISOString()}, not a message from the user]\nReminder: the oven is on\n\nanything new?`]);
  });
});
