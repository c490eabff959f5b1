import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TelegramDeliveryError, type TelegramAccount } from '../../../src/builtin-plugins/telegram/engine.js';
import type { ChatState } from '../../fixtures/platforms/telegram/index.js';
import { eventually, startTelegramTest, type TelegramTest } from './telegram-test-kit.js';

const signal = () => new AbortController().signal;

describe('Telegram outbound', () => {
  let t: TelegramTest;
  let account: TelegramAccount;
  let chat: ChatState;

  beforeEach(async () => {
    t = await startTelegramTest();
    account = t.account();
    chat = t.fake.privateChat(t.fake.user('Alice'));
  });
  afterEach(() => t.close());

  const send = (content: string, extra: { target?: string; metadata?: Record<string, unknown> } = {}) =>
    account.send({ channel: 'telegram', accountId: 'main', target: extra.target ?? `main:${chat.id}`, content, ...(extra.metadata ? { metadata: extra.metadata } : {}) }, { signal: signal() });

  it('splits a long reply at 4096 visible characters on paragraph and code-fence boundaries', async () => {
    const paragraph = (n: number) => `Paragraph ${n}: ${'lorem ipsum '.repeat(60).trim()}.`;
    const code = '```ts\n' + Array.from({ length: 120 }, (_, i) => `const value${i} = ${i};`).join('\n') + '\n```';
    const reply = [paragraph(1), paragraph(2), code, paragraph(3), ...Array.from({ length: 6 }, (_, i) => paragraph(i + 4))].join('\n\n');
    const receipt = await send(reply);
    const sent = t.fake.sentBy(t.bot, chat.id);
    expect(sent.length).toBeGreaterThan(1);
    for (const message of sent) expect(message.text.length).toBeLessThanOrEqual(4096);
    // Every part parsed as HTML on the Telegram side, and the code block kept its language.
    expect(sent.every((m) => m.parseMode === 'HTML')).toBe(true);
    expect(sent.flatMap((m) => m.entities).filter((e) => e.type === 'pre').every((e) => (e as { language?: string }).language === 'ts')).toBe(true);
    expect(sent.map((m) => m.text).join('\n\n').replace(/\s+/g, ' ')).toContain('const value119 = 119;');
    expect(receipt.externalId).toBe(`${chat.id}:${sent.at(-1)!.messageId}`);
  });

  it('waits as long as a 429 asks, then delivers', async () => {
    t.fake.rateLimitNext('sendMessage', 3);
    let delivered = false;
    const sending = send('hello').then((r) => ((delivered = true), r));
    await eventually(() => expect(t.fake.callsOf('sendMessage')).toHaveLength(1));
    await t.timers.advance(2_999);
    expect(delivered).toBe(false);
    await t.timers.advance(1);
    await sending;
    expect(t.fake.callsOf('sendMessage')).toHaveLength(2);
    expect(t.fake.sentBy(t.bot, chat.id).map((m) => m.text)).toEqual(['hello']);
    expect(account.status().counters.rateLimited).toBe(1);
  });

  it('gives up on a 429 that asks for longer than it may wait, saying when to retry', async () => {
    t.fake.rateLimitNext('sendMessage', 3600);
    const error = await send('hello').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramDeliveryError);
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 3_600_000, message: expect.stringContaining('sendMessage answered 429: Too Many Requests: retry after 3600') });
  });

  it('keeps within its token bucket: a burst past the bucket waits for tokens', async () => {
    const sends = Array.from({ length: 25 }, (_, i) => send(`m${i}`));
    await eventually(() => expect(t.fake.callsOf('sendMessage')).toHaveLength(20));
    await new Promise((r) => setTimeout(r, 50));
    expect(t.fake.callsOf('sendMessage')).toHaveLength(20);
    await t.timers.advance(1000 / 30 * 5 + 1);
    await Promise.all(sends);
    expect(t.fake.sentBy(t.bot, chat.id).map((m) => m.text)).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`));
  });

  it('gives up on a call the API does not answer within the request deadline', async () => {
    t.fake.slow('sendMessage', 60_000);
    const outcome = send('anyone there?').catch((e: unknown) => e);
    await eventually(() => expect(t.fake.callsOf('sendMessage')).toHaveLength(1));
    await t.timers.advance(10_000);
    expect(await outcome).toMatchObject({ code: 'unavailable', message: `the reply to main:${chat.id} failed: no answer to sendMessage within 10 s from ${t.fake.apiRoot} (slow or half-open connection)` });
  });

  it('says which chat refused and why, for a bot the user blocked', async () => {
    t.fake.blockedChats.add(chat.id);
    await expect(send('hi')).rejects.toMatchObject({ code: 'forbidden', message: `the reply to main:${chat.id} failed: sendMessage answered 403: Forbidden: bot was blocked by the user` });
  });

  it('refuses a target of another account or one that names no chat', async () => {
    await expect(send('hi', { target: 'other:123' })).rejects.toThrow('"other:123" is not a Telegram target for account main');
    await expect(send('hi', { target: 'not a chat' })).rejects.toThrow(/use a chat id/);
  });

  it('replies in a forum topic, quoting the message it answers in a group', async () => {
    const forum = t.fake.group('Team', { forum: true });
    const bob = t.fake.user('Bob');
    await account.start(signal());
    const question = t.fake.userSays(t.bot, { chat: forum, from: bob, text: 'status?', threadId: 42, mentionBot: true });
    await eventually(() => expect(t.received).toHaveLength(1));
    const inbound = t.received[0]!;
    expect(account.conversationId(inbound)).toBe(`main:${forum.id}:topic:42`);
    await account.send({ channel: 'telegram', accountId: 'main', target: account.conversationId(inbound), content: 'All green.', metadata: inbound.metadata }, { signal: signal() });
    expect(t.fake.sentBy(t.bot, forum.id)).toMatchObject([{ text: 'All green.', threadId: 42, replyToMessageId: question.message!.message_id }]);
  });

  it('sends attachments as photos or documents', async () => {
    await account.send(
      { channel: 'telegram', accountId: 'main', target: String(chat.id), content: 'files:', attachments: [{ mimeType: 'image/png', name: 'chart.png', data: new Uint8Array([1, 2, 3]) }, { mimeType: 'text/csv', name: 'data.csv', data: new TextEncoder().encode('a,b\n1,2') }] },
      { signal: signal() },
    );
    expect(t.fake.sentBy(t.bot, chat.id).map((m) => [m.method, m.document?.fileName])).toEqual([
      ['sendMessage', undefined],
      ['sendPhoto', 'chart.png'],
      ['sendDocument', 'data.csv'],
    ]);
  });

  it('shows typing every four seconds until told to stop, in the right topic', async () => {
    const forum = t.fake.group('Team', { forum: true });
    const stop = account.startTyping(`main:${forum.id}:topic:7`);
    await eventually(() => expect(t.fake.chatActions).toHaveLength(1));
    await t.timers.advance(4_000);
    await eventually(() => expect(t.fake.chatActions).toHaveLength(2));
    await t.timers.advance(4_000);
    await eventually(() => expect(t.fake.chatActions).toHaveLength(3));
    stop();
    await t.timers.advance(20_000);
    expect(t.fake.chatActions.map((a) => [a.chatId, a.action, a.threadId])).toEqual(Array.from({ length: 3 }, () => [forum.id, 'typing', 7]));
  });

  it('stops typing by itself when the chat is gone', async () => {
    t.fake.blockedChats.add(chat.id);
    account.startTyping(`main:${chat.id}`);
    await eventually(() => expect(t.fake.callsOf('sendChatAction')).toHaveLength(1));
    await t.timers.advance(30_000);
    expect(t.fake.callsOf('sendChatAction')).toHaveLength(1);
  });

  /** Outbound calls whose connection fails: retried when that cannot duplicate a reply, visible when they give up. */
  describe('connection failures', () => {
    const retryWarnings = () => t.logger.entries.filter((e) => e.level === 'warn' && e.msg.includes('failed on the connection'));

    it('sends again, exactly once, when a kept-alive connection was closed just as the reply went out', async () => {
      await send('first');
      // The next send reuses the idle connection of the first; the server drops it unanswered.
      t.fake.dropConnectionNext('sendMessage');
      let delivered = false;
      const sending = send('second').then(() => (delivered = true));
      await t.timers.advanceUntil(() => delivered);
      await sending;
      expect(t.fake.droppedConnections).toEqual([{ method: 'sendMessage', reusedConnection: true }]);
      expect(t.fake.sentBy(t.bot, chat.id).map((m) => m.text)).toEqual(['first', 'second']);
      expect(retryWarnings()).toHaveLength(1);
      expect(retryWarnings()[0]!.fields).toMatchObject({ method: 'sendMessage', chat: chat.id, attempt: 1 });
      expect(account.status().counters.failed).toBe(0);
    });

    it('does not send again when a fresh connection was dropped, since Telegram may have posted it; the failure is reported', async () => {
      // The account's first call opens a new connection: its loss is ambiguous.
      t.fake.dropConnectionNext('sendMessage');
      const error = await send('hello').catch((e: unknown) => e);
      expect(t.fake.droppedConnections).toEqual([{ method: 'sendMessage', reusedConnection: false }]);
      expect(error).toBeInstanceOf(TelegramDeliveryError);
      expect(error).toMatchObject({ code: 'unavailable', message: expect.stringContaining(`the reply to main:${chat.id} failed: cannot reach the Bot API at ${t.fake.apiRoot}`) });
      expect(retryWarnings()).toHaveLength(0);
      expect(t.fake.sentBy(t.bot, chat.id)).toHaveLength(0);
      expect(account.status().counters.failed).toBe(1);
    });

    it('gives up after a bounded number of retries when the connection keeps being dropped, and reports it', async () => {
      await send('first');
      // Each retry opens a fresh connection (the dropped one is gone), so only the first drop is certain.
      t.fake.dropConnectionNext('sendMessage', 10);
      let outcome: unknown;
      const sending = send('second').catch((e: unknown) => (outcome = e));
      await t.timers.advanceUntil(() => outcome !== undefined);
      await sending;
      expect(t.fake.droppedConnections.map((d) => d.reusedConnection)).toEqual([true, false]);
      expect(outcome).toMatchObject({ code: 'unavailable' });
      expect(t.fake.sentBy(t.bot, chat.id).map((m) => m.text)).toEqual(['first']);
      expect(account.status().counters.failed).toBe(1);
    });

    it('retries a connection refused at most maxNetworkRetries times, then reports the send as failed', async () => {
      await t.fake.close();
      let outcome: unknown;
      const sending = send('hello').catch((e: unknown) => (outcome = e));
      await t.timers.advanceUntil(() => outcome !== undefined);
      await sending;
      expect(outcome).toMatchObject({ code: 'unavailable', message: expect.stringContaining('ECONNREFUSED') });
      expect(retryWarnings().map((w) => w.fields.attempt)).toEqual([1, 2, 3]);
      expect(account.status().counters.failed).toBe(1);
    });

    it('retries an edit that timed out, since editing to the same text twice is harmless', async () => {
      const stream = account.openReplyStream(`main:${chat.id}`);
      stream.push('Thinking');
      await eventually(() => expect(t.fake.sentBy(t.bot, chat.id)).toHaveLength(1));
      t.fake.hang('editMessageText');
      stream.push(' done');
      await t.timers.advance(1000);
      await eventually(() => expect(t.fake.callsOf('editMessageText')).toHaveLength(1));
      t.fake.unhang();
      await t.timers.advance(10_000);
      await eventually(() => expect(retryWarnings()).toHaveLength(1));
      let finished = false;
      const finishing = stream.finish().then(() => (finished = true));
      await t.timers.advanceUntil(() => finished);
      await finishing;
      expect(t.fake.sentBy(t.bot, chat.id).map((m) => m.text)).toEqual(['Thinking done']);
      expect(retryWarnings()[0]!.fields).toMatchObject({ method: 'editMessageText', chat: chat.id });
    });
  });
});

describe('Telegram streamed replies', () => {
  let t: TelegramTest;
  let account: TelegramAccount;
  let chat: ChatState;

  beforeEach(async () => {
    t = await startTelegramTest();
    account = t.account();
    chat = t.fake.privateChat(t.fake.user('Alice'));
  });
  afterEach(() => t.close());

  it('posts the first words, then edits the same message in place, at most once a second', async () => {
    const stream = account.openReplyStream(`main:${chat.id}`);
    stream.push('Thinking');
    await eventually(() => expect(t.fake.sentBy(t.bot, chat.id)).toHaveLength(1));
    stream.push(' about **it**');
    stream.push('…');
    await t.timers.advance(999);
    expect(t.fake.callsOf('editMessageText')).toHaveLength(0);
    await t.timers.advance(1);
    await eventually(() => expect(t.fake.callsOf('editMessageText')).toHaveLength(1));
    stream.push(' Done.');
    const finishing = stream.finish();
    await t.timers.advance(1000);
    const receipt = await finishing;
    const [message] = t.fake.sentBy(t.bot, chat.id);
    expect(t.fake.sentBy(t.bot, chat.id)).toHaveLength(1);
    expect(message!.history).toEqual(['Thinking', 'Thinking about it…', 'Thinking about it… Done.']);
    expect(message!.entities).toEqual([{ type: 'bold', offset: 15, length: 2 }]);
    expect(receipt.externalId).toBe(`${chat.id}:${message!.messageId}`);
  });

  it('finishes a message at 4096 characters and continues the reply in a new one', async () => {
    const stream = account.openReplyStream(`main:${chat.id}`);
    const paragraph = 'word '.repeat(150).trim();
    for (let i = 0; i < 12; i++) stream.push(`${paragraph}\n\n`);
    let finished = false;
    const finishing = stream.finish().then(() => (finished = true));
    await t.timers.advanceUntil(() => finished, { stepMs: 1000 });
    await finishing;
    // 12 paragraphs of 749 characters: five fit in 4096, so 5 + 5 + 2.
    const sent = t.fake.sentBy(t.bot, chat.id);
    expect(sent.map((m) => m.text.split('\n\n').length)).toEqual([5, 5, 2]);
    for (const m of sent) expect(m.text.length).toBeLessThanOrEqual(4096);
  });

  it('reports a stream whose message cannot be posted as a delivery error', async () => {
    t.fake.blockedChats.add(chat.id);
    const stream = account.openReplyStream(`main:${chat.id}`);
    stream.push('hi');
    const outcome = stream.finish().catch((e: unknown) => e);
    await t.timers.advance(1000);
    expect(await outcome).toMatchObject({ code: 'forbidden', message: expect.stringContaining('bot was blocked by the user') });
  });

  it('falls back to plain text when Telegram refuses the formatting', async () => {
    t.fake.failNext('sendMessage', { error_code: 400, description: "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 0" });
    await account.send({ channel: 'telegram', accountId: 'main', target: String(chat.id), content: 'a **b** & c' }, { signal: new AbortController().signal });
    expect(t.fake.sentBy(t.bot, chat.id)).toMatchObject([{ text: 'a b & c', raw: 'a b & c' }]);
    expect(t.fake.sentBy(t.bot, chat.id)[0]!.parseMode).toBeUndefined();
    expect(t.logger.entries.some((e) => e.level === 'warn' && e.msg.includes('sending it as plain text'))).toBe(true);
  });
});
