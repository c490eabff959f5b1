import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelegramAccount } from '../../../src/builtin-plugins/telegram/engine.js';
import { eventually, startTelegramTest, type TelegramTest } from './telegram-test-kit.js';

describe('Telegram inbound messages', () => {
  let t: TelegramTest;
  let account: TelegramAccount;

  beforeEach(async () => {
    t = await startTelegramTest({ botUsername: 'NexusHelperBot' });
    account = t.account({ max_attachment_bytes: 1024 });
    await account.start(new AbortController().signal);
  });
  afterEach(() => t.close());

  const last = () => t.received.at(-1)!;

  it('tells whether a group message addresses the bot: @mention, text mention, /command@bot, or a reply to the bot', async () => {
    const group = t.fake.group('Friends');
    const bob = t.fake.user('Bob', 'bob');
    t.fake.userSays(t.bot, { chat: group, from: bob, text: 'just chatting' });
    t.fake.userSays(t.bot, { chat: group, from: bob, text: 'hey', mentionBot: true });
    t.fake.userSays(t.bot, { chat: group, from: bob, text: 'do this', textMentionBot: 'Helper' });
    t.fake.userSays(t.bot, { chat: group, from: bob, text: '/start@nexushelperbot', entities: [{ type: 'bot_command', offset: 0, length: 21 }] });
    t.fake.userSays(t.bot, { chat: group, from: bob, text: 'hi @someone_else', entities: [{ type: 'mention', offset: 3, length: 13 }] });
    await eventually(() => expect(t.received).toHaveLength(5));
    expect(t.received.map((m) => m.metadata?.mentioned)).toEqual([false, true, true, true, false]);
    expect(t.received[0]!.metadata).toMatchObject({ chat_type: 'group', chat_title: 'Friends', conversation_id: `main:${group.id}`, sender_username: 'bob', sender_name: 'Bob' });

    const botMessage = await account.send({ channel: 'telegram', accountId: 'main', target: String(group.id), content: 'I am here' }, { signal: new AbortController().signal });
    const botMessageId = Number(botMessage.externalId!.split(':')[1]);
    t.fake.userSays(t.bot, { chat: group, from: bob, text: 'thanks', replyTo: botMessageId });
    await eventually(() => expect(t.received).toHaveLength(6));
    expect(last().metadata).toMatchObject({ mentioned: true, reply_to_message_id: botMessageId, reply_to_bot: true });
  });

  it('keeps the message a user replied to in the metadata', async () => {
    const alice = t.fake.user('Alice');
    const chat = t.fake.privateChat(alice);
    const first = t.fake.userSays(t.bot, { chat, from: alice, text: 'first' });
    t.fake.userSays(t.bot, { chat, from: alice, text: 'about that', replyTo: first.message!.message_id });
    await eventually(() => expect(t.received).toHaveLength(2));
    expect(last().metadata).toMatchObject({ reply_to_message_id: first.message!.message_id, reply_to_bot: false });
  });

  it('scopes forum topics as threads of their own, and the General topic as the chat', async () => {
    const forum = t.fake.group('Dev', { forum: true });
    const carol = t.fake.user('Carol');
    t.fake.userSays(t.bot, { chat: forum, from: carol, text: 'in a topic', threadId: 15, mentionBot: true });
    t.fake.userSays(t.bot, { chat: forum, from: carol, text: 'in General', mentionBot: true });
    const plain = t.fake.group('Ops', { supergroup: true });
    const root = t.fake.userSays(t.bot, { chat: plain, from: carol, text: 'root' });
    t.fake.userSays(t.bot, { chat: plain, from: carol, text: 'reply thread', threadId: root.message!.message_id, replyTo: root.message!.message_id });
    await eventually(() => expect(t.received).toHaveLength(4));
    expect(t.received.map((m) => account.conversationId(m))).toEqual([`main:${forum.id}:topic:15`, `main:${forum.id}`, `main:${plain.id}`, `main:${plain.id}`]);
    expect(t.received[0]!.metadata).toMatchObject({ topic_id: 15, message_thread_id: 15, chat_type: 'supergroup' });
    expect(t.received[3]!.metadata).not.toHaveProperty('topic_id');
  });

  it('takes channel posts, with the channel as sender', async () => {
    const channel = t.fake.addChat({ id: -1009999, type: 'channel', title: 'News' });
    t.fake.userSays(t.bot, { chat: channel, from: t.fake.user('x'), text: 'announcement', channelPost: true });
    await eventually(() => expect(t.received).toHaveLength(1));
    expect(last()).toMatchObject({ senderId: String(channel.id), metadata: { chat_type: 'channel', sender_name: 'News', sender_is_bot: false } });
  });

  it('downloads attachments within the limit and hands them on with their bytes', async () => {
    const alice = t.fake.user('Alice');
    const chat = t.fake.privateChat(alice);
    const photo = Buffer.alloc(600, 7);
    const document = Buffer.from('name,amount\nalice,3\n');
    t.fake.userSays(t.bot, { chat, from: alice, text: 'see attached', photo: { data: photo } });
    t.fake.userSays(t.bot, { chat, from: alice, document: { data: document, name: 'ledger.csv', mimeType: 'text/csv' } });
    await eventually(() => expect(t.received).toHaveLength(2));
    expect(t.received[0]).toMatchObject({ content: 'see attached', attachments: [{ mimeType: 'image/jpeg', name: expect.stringMatching(/^photo-\d+\.jpg$/) }] });
    expect(Buffer.from(t.received[0]!.attachments![0]!.data!)).toEqual(photo);
    expect(t.received[1]).toMatchObject({ content: '', attachments: [{ mimeType: 'text/csv', name: 'ledger.csv' }] });
    expect(Buffer.from(t.received[1]!.attachments![0]!.data!).toString()).toBe(document.toString());
    expect(t.received[1]!.attachments![0]).not.toHaveProperty('url');
  });

  it('reports an attachment over the limit in the metadata without downloading it', async () => {
    const alice = t.fake.user('Alice');
    const chat = t.fake.privateChat(alice);
    const getFilesBefore = t.fake.callsOf('getFile').length;
    t.fake.userSays(t.bot, { chat, from: alice, text: 'big one', document: { data: Buffer.alloc(5000), name: 'big.bin', mimeType: 'application/octet-stream' } });
    await eventually(() => expect(t.received).toHaveLength(1));
    expect(last().attachments).toBeUndefined();
    expect(last().metadata?.attachments_skipped).toEqual([{ kind: 'document', name: 'big.bin', mime_type: 'application/octet-stream', size: 5000, reason: 'over_limit', detail: '5000 bytes is over max_attachment_bytes (1024)' }]);
    expect(t.fake.callsOf('getFile').length).toBe(getFilesBefore);
    expect(account.status().counters.attachmentsSkipped).toBe(1);
  });

  it('cuts off a download whose size was not announced as soon as it passes the limit', async () => {
    const alice = t.fake.user('Alice');
    const chat = t.fake.privateChat(alice);
    t.fake.userSays(t.bot, { chat, from: alice, document: { data: Buffer.alloc(4096), name: 'unknown.bin', mimeType: 'application/octet-stream', omitSize: true } });
    await eventually(() => expect(t.received).toHaveLength(1));
    expect(last().metadata?.attachments_skipped).toEqual([{ kind: 'document', name: 'unknown.bin', mime_type: 'application/octet-stream', reason: 'over_limit', detail: 'passed max_attachment_bytes (1024) while downloading; the rest was not fetched' }]);
  });

  it('passes over service messages and counts them', async () => {
    const alice = t.fake.user('Alice');
    const group = t.fake.group('G');
    t.fake.injectUpdate(t.bot, { message: { ...t.fake.storeMessage(group, { from: alice }), new_chat_members: [alice] } as never });
    t.fake.userSays(t.bot, { chat: group, from: alice, text: 'after join' });
    await eventually(() => expect(t.received).toHaveLength(1));
    expect(last().content).toBe('after join');
    expect(account.status().counters.ignored).toBe(1);
  });
});
