import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLACK_ACCOUNT_SCHEMA } from '../../../src/builtin-plugins/slack/engine/index.js';
import { Kernel, MemoryLogger } from '../../../src/kernel/index.js';
import { configFromData } from '../../../src/kernel/config/index.js';
import { ChannelPairingStoreToken, DoctorChecks } from '@nexus/plugin-sdk';
import { startFakeSlack } from '../../fixtures/platforms/slack/index.js';
import { manualClock } from '../../channels/channel-test-kit.js';
import { tempDir } from '../http/http-test-kit.js';
import { deliverAcked, dm, eventually, startSlackPlugin } from './slack-plugin-kit.js';

describe('slack plugin: activation', () => {
  it('declares the engine account schema in its manifest, as channels.slack.accounts.<name>', () => {
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../../../src/builtin-plugins/slack/nexus.plugin.json'), 'utf8')) as { contributes: { configSections: { section: string; schema: { $defs: { account: unknown } } }[] } };
    const [section] = manifest.contributes.configSections;
    const { $schema, ...account } = SLACK_ACCOUNT_SCHEMA;
    expect($schema).toContain('2020-12');
    expect(section).toMatchObject({ section: 'channels.slack' });
    expect(section!.schema.$defs.account).toEqual(account);
  });

  it('is installed but off, importing nothing, until an account is configured', () => {
    const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
    const kernel = (settings: Record<string, unknown>) =>
      new Kernel({ config: configFromData(settings), home: tempDir('nexus-slack-'), workspaceDir: tempDir('nexus-slack-'), builtinDirs: [builtins], packageDirs: [], logger: new MemoryLogger(), discoveryIndex: false });
    expect(kernel({}).list().find((p) => p.id === 'slack')).toMatchObject({ enabled: false, state: 'disabled' });
    expect(kernel({ channels: { slack: { accounts: {} } } }).list().find((p) => p.id === 'slack')).toMatchObject({ enabled: false });
    const configured = kernel({ channels: { slack: { accounts: { main: { bot_token: 'xoxb-1', app_token: 'xapp-1' } } } } });
    expect(configured.list().find((p) => p.id === 'slack')).toMatchObject({ enabled: true, state: 'discovered' });
  });
});

describe('slack plugin: sessions', () => {
  it('scopes sessions per thread by default, and per channel with session.slack_scope: channel', async () => {
    const threaded = await startSlackPlugin();
    const parent = threaded.slack.message({ text: 'top level', channel: 'C0TEAM' });
    await deliverAcked(threaded.slack, parent);
    await deliverAcked(threaded.slack, threaded.slack.message({ text: 'in the thread', channel: 'C0TEAM', thread_ts: parent.ts }));
    await deliverAcked(threaded.slack, threaded.slack.message({ text: 'another top level', channel: 'C0TEAM' }));
    await eventually(() => threaded.received.length === 3, 'three messages');
    // Order is kept per thread, not across threads: find each message by its text.
    const id = (text: string) => threaded.conversation.conversationId(threaded.received.find((m) => m.content === text)!);
    expect(id('top level')).toBe(`main:C0TEAM:${parent.ts}`);
    expect(id('in the thread')).toBe(id('top level'));
    expect(id('another top level')).not.toBe(id('top level'));

    const perChannel = await startSlackPlugin({ session: { slack_scope: 'channel' } });
    await deliverAcked(perChannel.slack, perChannel.slack.message({ text: 'one', channel: 'C0TEAM' }));
    await deliverAcked(perChannel.slack, perChannel.slack.message({ text: 'two', channel: 'C0TEAM' }));
    await eventually(() => perChannel.received.length === 2, 'two messages');
    expect(perChannel.received.map((m) => perChannel.conversation.conversationId(m))).toEqual(['main:C0TEAM', 'main:C0TEAM']);
  });
});

describe('slack plugin: replies streamed and edited in place', () => {
  it('marks the message being answered, posts the reply in its thread, edits it as text arrives, and settles the final text', async () => {
    const { slack, replies, received, health } = await startSlackPlugin();
    await deliverAcked(slack, slack.message({ text: 'explain', channel: 'C0TEAM' }));
    await eventually(() => received.length === 1, 'the message');
    const inbound = received[0]!;
    const draft = replies.open({ inbound, target: 'main:C0TEAM', signal: AbortSignal.timeout(30_000) });
    await eventually(() => slack.reactionLog.some((entry) => entry.startsWith('add ')), 'the working reaction');
    draft.update('The **first** part');
    await eventually(() => slack.posts.some((p) => p.method === 'chat.postMessage'), 'the reply was posted');
    draft.update('The **first** part, and the second');
    const receipt = await draft.finish('The **first** part, and the second. Done.');
    const posted = slack.posts.filter((p) => p.method === 'chat.postMessage');
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ channel: 'C0TEAM', thread_ts: inbound.metadata?.slack_ts });
    expect(slack.posts.filter((p) => p.method === 'chat.update').length).toBeGreaterThanOrEqual(1);
    expect(slack.messages.get(`C0TEAM:${posted[0]!.ts}`)).toBe('The *first* part, and the second. Done.');
    expect(receipt.externalId).toBe(`C0TEAM:${posted[0]!.ts}`);
    await eventually(() => slack.reactionLog.some((entry) => entry.startsWith('remove ')), 'the working reaction removed');
    expect(health.status().accounts?.main).toMatchObject({ sent: 1, failed: 0, received: 1 });
  });

  it('rewrites the streamed text when the final text differs, and deletes a partial reply when the turn is abandoned', async () => {
    const { slack, replies, received } = await startSlackPlugin();
    await deliverAcked(slack, dm(slack, 'hello'));
    await eventually(() => received.length === 1, 'the message');
    const rewritten = replies.open({ inbound: received[0]!, target: 'main:D0DIRECT', signal: AbortSignal.timeout(30_000) });
    rewritten.update('draft text');
    await eventually(() => slack.posts.length === 1, 'the draft was posted');
    await rewritten.finish('the text a hook rewrote');
    expect(slack.messages.get(`D0DIRECT:${slack.posts[0]!.ts}`)).toBe('the text a hook rewrote');

    const abandoned = replies.open({ inbound: received[0]!, target: 'main:D0DIRECT', signal: AbortSignal.timeout(30_000) });
    abandoned.update('half an ans');
    await eventually(() => slack.posts.filter((p) => p.method === 'chat.postMessage').length === 2, 'the partial reply was posted');
    await abandoned.abandon('the provider failed');
    const partial = slack.posts.filter((p) => p.method === 'chat.postMessage')[1]!;
    expect(slack.deleted).toEqual([`D0DIRECT:${partial.ts}`]);
  });
});

describe('slack plugin: connection health', () => {
  it('reports a half-open socket as not connected from its frame age, and the probe replaces it', async () => {
    const clock = manualClock();
    const { slack, health, received } = await startSlackPlugin({ clock });
    expect(health.status().accounts?.main).toMatchObject({ connected: true, state: 'connected' });
    slack.goHalfOpen();
    clock.advance(31_000);
    const stale = health.status();
    expect(stale.connected).toBe(false);
    expect(stale.accounts?.main).toMatchObject({ connected: false, state: 'connected' });
    expect(stale.accounts?.main?.error).toMatch(/no frame from Slack for 31000 ms \(a half-open socket/);

    await health.probe({ signal: AbortSignal.timeout(10_000) });
    await eventually(() => health.status().accounts?.main?.connected === true && slack.openSockets() === 1, 'a fresh socket replaced the half-open one');
    expect(slack.maxOpenSockets()).toBe(1);
    await deliverAcked(slack, dm(slack, 'still there?'));
    await eventually(() => received.length === 1, 'a message on the new socket');
  });
});

describe('slack plugin: start', () => {
  it('fails to start, naming the reason, when its only account cannot connect', async () => {
    const { lifecycle, health } = await startSlackPlugin({ start: false, account: { app_token: 'xapp-revoked' } });
    await expect(lifecycle.start(AbortSignal.timeout(10_000))).rejects.toThrow('slack/main: Slack rejected the app-level token (invalid_auth) when calling apps.connections.open; check channels.slack.accounts.main.app_token');
    expect(health.status().accounts?.main).toMatchObject({ connected: false, state: 'failed' });
    await lifecycle.stop();
  });
});

describe('slack plugin: sustained inbound', () => {
  it('hands over 1,000 messages in 50 DMs each once, in order within each DM', async () => {
    const { slack, received } = await startSlackPlugin();
    const events = Array.from({ length: 1_000 }, (_, i) => dm(slack, `message ${i}`, { channel: `D${String(i % 50).padStart(4, '0')}` }));
    // Slack redelivers some (a retry after a missed ack); they arrive before the last message of
    // each DM, and each DM is handled in order, so all are judged before the last one is handed over.
    for (const event of [...events.slice(0, 500), ...events.slice(0, 100), ...events.slice(500)]) slack.deliver(event);
    await eventually(() => received.length === 1_000, 'all 1,000 messages', 60_000);
    const ids = received.map((m) => m.externalId);
    expect(new Set(ids).size).toBe(1_000);
    for (let chat = 0; chat < 50; chat++) {
      const channel = `D${String(chat).padStart(4, '0')}`;
      const order = received.filter((m) => m.metadata?.slack_channel === channel).map((m) => Number(m.content.split(' ')[1]));
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(order).toHaveLength(20);
    }
  }, 120_000);
});

describe('slack plugin: de-duplication across restarts', () => {
  it('runs a message Slack redelivers after a restart once, through the database', async () => {
    const slack = await startFakeSlack();
    const database = { path: join(tempDir('nexus-slack-db-'), 'nexus.db') };
    const first = await startSlackPlugin({ slack, database });
    const event = dm(slack, 'only once');
    await deliverAcked(slack, event);
    await eventually(() => first.received.length === 1, 'the first delivery');
    await first.lifecycle.stop();
    await first.kernel.stop();

    const second = await startSlackPlugin({ slack, database });
    await deliverAcked(slack, event);
    await deliverAcked(slack, dm(slack, 'a new one'));
    await eventually(() => second.received.length === 1, 'the new message');
    expect(second.received.map((m) => m.content)).toEqual(['a new one']);
    await slack.close();
  });
});

describe('slack plugin: access policy', () => {
  it('gives an unknown DM sender a pairing code once, refuses and counts their messages, and lets them in once approved', async () => {
    const { slack, received, health, kernel } = await startSlackPlugin({ account: { dm_policy: 'pairing', allow_from: [] } });
    const pairings = await kernel.services.get(ChannelPairingStoreToken);
    await deliverAcked(slack, dm(slack, 'hi', { user: 'U0STRANGER' }));
    await deliverAcked(slack, dm(slack, 'hello?', { user: 'U0STRANGER' }));
    await eventually(() => health.status().accounts?.main?.refused === 2, 'both refused');
    expect(received).toEqual([]);
    const pending = await pairings.list({ channel: 'slack' });
    expect(pending).toMatchObject([{ channel: 'slack', accountId: 'main', senderId: 'U0STRANGER', status: 'pending' }]);
    const code = pending[0]!.code;
    const told = slack.posts.filter((p) => p.method === 'chat.postMessage');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ channel: 'D0DIRECT' });
    expect(told[0]!.text).toContain(`nexus channels pair approve slack ${code}`);

    await pairings.decide('slack', code, 'approved');
    await deliverAcked(slack, dm(slack, 'now?', { user: 'U0STRANGER' }));
    await eventually(() => received.length === 1, 'the approved sender got through');
    expect(received[0]!.content).toBe('now?');
  });

  it('in channels, serves only allow_from senders and only when mentioned (or in a thread it answered)', async () => {
    const { slack, received, health } = await startSlackPlugin({ account: { dm_policy: 'disabled', group_policy: 'allowlist', allow_from: ['U0FRIEND'], require_mention: true } });
    await deliverAcked(slack, slack.message({ text: '<@UBOT> from a stranger', user: 'U0STRANGER', channel: 'C0TEAM' }));
    await deliverAcked(slack, slack.message({ text: 'no mention', user: 'U0FRIEND', channel: 'C0TEAM' }));
    await deliverAcked(slack, dm(slack, 'a DM', { user: 'U0FRIEND' }));
    await deliverAcked(slack, slack.message({ text: '<@UBOT> from a friend', user: 'U0FRIEND', channel: 'C0TEAM' }));
    await eventually(() => received.length === 1, 'the mentioned message from the friend');
    await eventually(() => health.status().accounts?.main?.refused === 3, 'three refused');
    expect(received[0]!.content).toBe('from a friend');
  });

  it('serves only the senders of a channel listed in group_allow_from there, even under group_policy: open', async () => {
    const { slack, received, health } = await startSlackPlugin({ account: { dm_policy: 'disabled', group_policy: 'open', allow_from: [], require_mention: false, group_allow_from: { C0TEAM: ['U0FRIEND'] } } });
    await deliverAcked(slack, slack.message({ text: 'stranger in team', user: 'U0STRANGER', channel: 'C0TEAM' }));
    await deliverAcked(slack, slack.message({ text: 'friend in team', user: 'U0FRIEND', channel: 'C0TEAM' }));
    await deliverAcked(slack, slack.message({ text: 'stranger elsewhere', user: 'U0STRANGER', channel: 'C0OTHER' }));
    await eventually(() => received.length === 2 && health.status().accounts?.main?.refused === 1, 'two admitted, one refused');
    expect(received.map((message) => message.content).sort()).toEqual(['friend in team', 'stranger elsewhere']);
  });
});

describe('slack plugin: login', () => {
  it('prints who the bot is when the tokens work', async () => {
    const { login } = await startSlackPlugin({ start: false });
    const lines: string[] = [];
    await login.login({ accountId: 'main', signal: AbortSignal.timeout(10_000), print: (line) => lines.push(line) });
    expect(lines[0]).toBe('slack/main: the bot token works: user UBOT in Fake Team (T0FAKE); scopes: chat:write, reactions:write, app_mentions:read, channels:history, groups:history, im:history, mpim:history, files:read');
    expect(lines.at(-1)).toBe('slack/main: the app-level token can open Socket Mode connections; ready');
  });

  it('says exactly what is wrong with a bad bot token, an app token without connections:write, and an unknown account', async () => {
    const slack = await startFakeSlack({ appScopes: [] });
    const { login } = await startSlackPlugin({ slack, start: false, account: { bot_token: 'xoxb-revoked' } });
    const run = login.login({ accountId: 'main', signal: AbortSignal.timeout(10_000), print: () => undefined });
    await expect(run).rejects.toThrow(
      'slack/main: Slack rejected the bot token (invalid_auth) when calling auth.test; check channels.slack.accounts.main.bot_token; the app-level token lacks the connections:write scope that apps.connections.open needs (it has: none); add connections:write under Basic Information → App-Level Tokens (create a token with it)',
    );
    await expect(login.login({ accountId: 'other', signal: AbortSignal.timeout(10_000), print: () => undefined })).rejects.toThrow('no Slack account "other" is configured (channels.slack.accounts has main)');
    await slack.close();
  });
});

describe('slack plugin: doctor', () => {
  it('probes an account this process did not start by its credentials alone', async () => {
    const { health } = await startSlackPlugin({ start: false });
    expect(await health.probe({ signal: AbortSignal.timeout(10_000) })).toMatchObject({ healthy: true, message: 'slack/main: the credentials work (not connected from this process)' });
  });

  it('with --probe, reports each credential problem as an error', async () => {
    const slack = await startFakeSlack({ appScopes: [] });
    const { kernel } = await startSlackPlugin({ slack, start: false });
    const probe = await kernel.contributions.get(DoctorChecks, 'slack-probe');
    expect(await probe.run({ signal: AbortSignal.timeout(10_000), probe: false })).toEqual([{ level: 'info', message: '1 slack account(s); run with --probe to check their credentials against the platform' }]);
    expect(await probe.run({ signal: AbortSignal.timeout(10_000), probe: true })).toEqual([
      { level: 'error', message: 'slack/main: the app-level token lacks the connections:write scope that apps.connections.open needs (it has: none); add connections:write under Basic Information → App-Level Tokens (create a token with it)' },
    ]);
    await slack.close();
  });
});
