import { afterEach, describe, expect, it } from 'vitest';
import type { User } from 'grammy/types';
import { PollerConflictError, PollerRegistry } from '../../../src/builtin-plugins/telegram/engine.js';
import type { ChatState } from '../../fixtures/platforms/telegram/index.js';
import { eventually, MapOffsetStore, startTelegramTest, StuckAfterSaveOffsetStore, type TelegramTest } from './telegram-test-kit.js';

describe('Telegram long polling', () => {
  let t: TelegramTest;
  afterEach(() => t.close());

  it('clears the webhook, then polls, and hands each message on with its chat, sender and session scope', async () => {
    t = await startTelegramTest();
    const account = t.account();
    await account.start(new AbortController().signal);
    const alice = t.fake.user('Alice', 'alice');
    const chat = t.fake.privateChat(alice);
    const update = t.fake.userSays(t.bot, { chat, from: alice, text: 'hello **bot**' });

    await eventually(() => expect(t.received).toHaveLength(1));
    expect(t.received[0]).toMatchObject({
      channel: 'telegram',
      accountId: 'main',
      externalId: `${chat.id}:${update.message!.message_id}`,
      senderId: String(alice.id),
      content: 'hello **bot**',
      metadata: { conversation_id: `main:${chat.id}`, chat_id: chat.id, chat_type: 'private', mentioned: true, sender_username: 'alice', update_id: update.update_id },
    });
    const methods = t.fake.calls.map((c) => c.method);
    expect(methods.indexOf('deleteWebhook')).toBeLessThan(methods.indexOf('getUpdates'));
    // The first poll returns at once (health knows quickly), the next ones wait the long-poll timeout.
    await eventually(() => expect(t.fake.callsOf('getUpdates').map((c) => c.params.timeout).slice(0, 2)).toEqual([0, 1]));
    expect(t.fake.callsOf('getUpdates')[0]!.params).toMatchObject({ allowed_updates: ['message', 'channel_post'] });
    expect(account.status()).toMatchObject({ healthy: true, state: 'running', mode: 'polling', counters: { received: 1 } });

    await account.send({ channel: 'telegram', accountId: 'main', target: account.conversationId(t.received[0]!), content: 'Hi *Alice*, `x<y`' }, { signal: new AbortController().signal });
    expect(t.fake.sentBy(t.bot, chat.id)).toMatchObject([{ text: 'Hi Alice, x<y', raw: 'Hi <i>Alice</i>, <code>x&lt;y</code>', parseMode: 'HTML' }]);
  });

  it('keeps the order of one chat while another chat is served meanwhile', async () => {
    t = await startTelegramTest();
    const account = t.account();
    const gate: { open?: () => void } = {};
    const order: string[] = [];
    account.onMessage(async (m) => {
      if (m.content === 'a1') await new Promise<void>((resolve) => (gate.open = resolve));
      order.push(m.content);
    });
    await account.start(new AbortController().signal);
    const [alice, bob] = [t.fake.user('Alice'), t.fake.user('Bob')];
    const [chatA, chatB] = [t.fake.privateChat(alice), t.fake.privateChat(bob)];
    t.fake.userSays(t.bot, { chat: chatA, from: alice, text: 'a1' });
    t.fake.userSays(t.bot, { chat: chatA, from: alice, text: 'a2' });
    t.fake.userSays(t.bot, { chat: chatB, from: bob, text: 'b1' });
    await eventually(() => expect(order).toEqual(['b1']));
    gate.open!();
    await eventually(() => expect(order).toEqual(['b1', 'a1', 'a2']));
  });

  it('after a restart continues from the saved offset: nothing handled twice, nothing lost', async () => {
    t = await startTelegramTest();
    const alice = t.fake.user('Alice');
    const chat = t.fake.privateChat(alice);
    const first = t.account();
    await first.start(new AbortController().signal);
    for (const text of ['one', 'two', 'three']) t.fake.userSays(t.bot, { chat, from: alice, text });
    await eventually(() => expect(t.received.map((m) => m.content)).toEqual(['one', 'two', 'three']));
    await eventually(() => expect(t.offsets.saved.get(String(t.bot.user.id))).toBeGreaterThan(0));
    await first.stop();

    // While the gateway is down a message arrives; Telegram still holds the confirmed ones
    // until a poll with a later offset, so only the saved offset keeps them from coming back.
    t.fake.userSays(t.bot, { chat, from: alice, text: 'four' });
    const second = t.account();
    await second.start(new AbortController().signal);
    await eventually(() => expect(t.received.map((m) => m.content)).toEqual(['one', 'two', 'three', 'four']));
    expect(second.status().counters).toMatchObject({ received: 1, duplicates: 0 });
  });

  /** Hands 'once' on, then dies after saving the offset and before the poll that confirms it to Telegram. */
  async function crashAfterSave(): Promise<{ store: StuckAfterSaveOffsetStore; chat: ChatState; alice: User }> {
    const store = new StuckAfterSaveOffsetStore();
    const alice = t.fake.user('Alice');
    const chat = t.fake.privateChat(alice);
    const doomed = t.account({}, { offsets: store });
    await doomed.start(new AbortController().signal);
    t.fake.userSays(t.bot, { chat, from: alice, text: 'once' });
    await eventually(() => expect(store.saved.size).toBe(1));
    // Telegram still holds the update: nothing confirmed it yet.
    expect(t.bot.queue.map((u) => u.message?.text)).toEqual(['once']);
    t.fake.userSays(t.bot, { chat, from: alice, text: 'twice' });
    return { store, chat, alice };
  }

  it('after a crash between saving the offset and confirming the batch, a new process does not handle the batch again', async () => {
    t = await startTelegramTest();
    const { store } = await crashAfterSave();
    // What the dead process wrote survives it, as a file or a database row would.
    const disk = new MapOffsetStore();
    for (const [bot, offset] of store.saved) disk.saved.set(bot, offset);
    const revived = t.account({}, { offsets: disk, pollers: new PollerRegistry() });
    await revived.start(new AbortController().signal);
    await eventually(() => expect(t.received.map((m) => m.content)).toEqual(['once', 'twice']));
    await revived.stop();
    store.unstick();
  });

  it('shows why the offset is saved: a new process without it handles the batch a second time', async () => {
    t = await startTelegramTest();
    const { store } = await crashAfterSave();
    const forgetful = t.account({}, { offsets: new MapOffsetStore(), pollers: new PollerRegistry() });
    await forgetful.start(new AbortController().signal);
    await eventually(() => expect(t.received.map((m) => m.content)).toEqual(['once', 'once', 'twice']));
    await forgetful.stop();
    store.unstick();
  });

  it('pauses polling while too many messages wait for the agent, says so, and resumes in order', async () => {
    t = await startTelegramTest();
    const account = t.account({}, { tuning: { maxPendingUpdates: 1 } });
    const gate: { open?: () => void } = {};
    const blocked = new Promise<void>((resolve) => (gate.open = resolve));
    account.onMessage(() => blocked);
    await account.start(new AbortController().signal);
    const alice = t.fake.user('Alice');
    const chat = t.fake.privateChat(alice);
    for (const text of ['1', '2', '3', '4']) t.fake.userSays(t.bot, { chat, from: alice, text });
    await eventually(() => expect(account.status().problem).toMatch(/^receiving paused for \d+ s: 2 message\(s\) wait for the agent to catch up$/));
    expect(account.status().healthy).toBe(false);
    gate.open!();
    await eventually(() => expect(t.received.map((m) => m.content)).toEqual(['1', '2', '3', '4']));
    await eventually(() => expect(account.status().healthy).toBe(true));
  });

  it('allows one poller per bot in the process: a second account with the same token is refused until the first stops', async () => {
    t = await startTelegramTest();
    const first = t.account({}, { accountId: 'main' });
    const second = t.account({}, { accountId: 'copy' });
    await first.start(new AbortController().signal);
    const refused = await second.start(new AbortController().signal).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PollerConflictError);
    expect((refused as Error).message).toContain(`bot ${t.bot.user.id} is already polled by account main in this process, so account copy cannot poll it too`);
    await first.stop();
    await second.start(new AbortController().signal);
    expect(second.status().state).not.toBe('stopped');
  });

  it('stops polling on stop(): the open poll is abandoned, so the next poller is not refused', async () => {
    t = await startTelegramTest();
    const account = t.account();
    await account.start(new AbortController().signal);
    await eventually(() => expect(t.fake.callsOf('getUpdates').length).toBeGreaterThan(0));
    await account.stop();
    expect(account.status()).toMatchObject({ state: 'stopped', healthy: false, problem: 'stopped' });
    await eventually(() => expect(t.bot.activePoll).toBeUndefined());
  });
});
