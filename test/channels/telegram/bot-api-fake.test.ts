import { Bot, GrammyError, InputFile } from 'grammy';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { grammySignal } from '../../../src/builtin-plugins/telegram/grammy-signal.js';
import { TelegramBotApiFake, type BotState } from '../../fixtures/platforms/telegram/index.js';

describe('the Telegram Bot API fake, driven by grammY', () => {
  let fake: TelegramBotApiFake;
  let bot: BotState;
  let client: Bot;

  beforeEach(async () => {
    fake = await TelegramBotApiFake.start();
    bot = fake.addBot({ username: 'nexus_test_bot' });
    client = new Bot(bot.token, { client: { apiRoot: fake.apiRoot } });
  });
  afterEach(() => fake.close());

  it('answers getMe with the bot, and 401 for a wrong or revoked token', async () => {
    await expect(client.api.getMe()).resolves.toMatchObject({ id: bot.user.id, is_bot: true, username: 'nexus_test_bot' });
    const stranger = new Bot('123:not-a-real-token', { client: { apiRoot: fake.apiRoot } });
    await expect(stranger.api.getMe()).rejects.toMatchObject({ error_code: 401, description: 'Unauthorized' });
    fake.revokeToken(bot);
    await expect(client.api.getMe()).rejects.toMatchObject({ error_code: 401 });
  });

  it('long-polls: holds getUpdates until an update arrives, and confirms by offset', async () => {
    const alice = fake.user('Alice');
    const chat = fake.privateChat(alice);
    const waiting = client.api.getUpdates({ timeout: 10 });
    await vi.waitFor(() => expect(bot.activePoll).toBeDefined(), { timeout: 10_000 });
    const update = fake.userSays(bot, { chat, from: alice, text: 'hello' });
    const [received] = await waiting;
    expect(received).toMatchObject({ update_id: update.update_id, message: { text: 'hello', chat: { id: alice.id, type: 'private' } } });
    await expect(client.api.getUpdates({ timeout: 0 })).resolves.toHaveLength(1);
    await expect(client.api.getUpdates({ offset: update.update_id + 1, timeout: 0 })).resolves.toEqual([]);
  });

  it('answers 409 to a second concurrent getUpdates, and while a webhook is set', async () => {
    const first = client.api.getUpdates({ timeout: 1 });
    await vi.waitFor(() => expect(bot.activePoll).toBeDefined(), { timeout: 10_000 });
    await expect(client.api.getUpdates({ timeout: 0 })).rejects.toMatchObject({ error_code: 409, description: expect.stringContaining('terminated by other getUpdates request') });
    await first;
    const fakeWithHttp = await TelegramBotApiFake.start({ allowHttpWebhooks: true });
    try {
      const other = fakeWithHttp.addBot({ username: 'b' });
      const api = new Bot(other.token, { client: { apiRoot: fakeWithHttp.apiRoot } }).api;
      await api.setWebhook('http://127.0.0.1:9/hook', { secret_token: 's3cret' });
      await expect(api.getUpdates({ timeout: 0 })).rejects.toMatchObject({ error_code: 409, description: expect.stringContaining('webhook is active') });
      await expect(api.getWebhookInfo()).resolves.toMatchObject({ url: 'http://127.0.0.1:9/hook' });
    } finally {
      await fakeWithHttp.close();
    }
  });

  it('refuses a plain-HTTP webhook and a secret with characters Telegram does not allow', async () => {
    await expect(client.api.setWebhook('http://example.com/hook')).rejects.toMatchObject({ error_code: 400, description: expect.stringContaining('HTTPS URL') });
    await expect(client.api.setWebhook('https://example.com/hook', { secret_token: 'no spaces!' })).rejects.toMatchObject({ description: expect.stringContaining('unallowed characters') });
  });

  it('parses HTML like Telegram: visible text and entities, and refuses broken markup', async () => {
    const alice = fake.user('Alice');
    const chat = fake.privateChat(alice);
    const message = await client.api.sendMessage(chat.id, '<b>bold</b> &amp; <pre><code class="language-ts">x &lt; 1</code></pre>', { parse_mode: 'HTML' });
    expect(message.text).toBe('bold & x < 1');
    expect(message.entities).toEqual([
      { type: 'bold', offset: 0, length: 4 },
      { type: 'pre', offset: 7, length: 5, language: 'ts' },
    ]);
    await expect(client.api.sendMessage(chat.id, '<b>open', { parse_mode: 'HTML' })).rejects.toMatchObject({ error_code: 400, description: expect.stringContaining("can't parse entities") });
    await expect(client.api.sendMessage(chat.id, 'a < b', { parse_mode: 'HTML' })).rejects.toMatchObject({ description: expect.stringContaining("can't parse entities") });
    await expect(client.api.sendMessage(chat.id, 'x'.repeat(4097))).rejects.toMatchObject({ description: 'Bad Request: message is too long' });
    await expect(client.api.sendMessage(424242, 'hi')).rejects.toMatchObject({ description: 'Bad Request: chat not found' });
  });

  it('edits a sent message, refusing an edit that changes nothing', async () => {
    const chat = fake.privateChat(fake.user('Bob'));
    const sent = await client.api.sendMessage(chat.id, 'draft');
    await client.api.editMessageText(chat.id, sent.message_id, 'final');
    await expect(client.api.editMessageText(chat.id, sent.message_id, 'final')).rejects.toMatchObject({ description: expect.stringContaining('message is not modified') });
    expect(fake.sentBy(bot)[0]).toMatchObject({ text: 'final', history: ['draft', 'final'] });
  });

  it('accepts multipart uploads and serves files through getFile and /file/bot<token>/', async () => {
    const chat = fake.privateChat(fake.user('Carol'));
    const message = await client.api.sendDocument(chat.id, new InputFile(Buffer.from('report body'), 'report.txt'), { caption: 'the report' });
    expect(message.document).toMatchObject({ file_name: 'report.txt', file_size: 11 });
    const file = await client.api.getFile(message.document!.file_id);
    const response = await fetch(`${fake.apiRoot}/file/bot${bot.token}/${file.file_path}`);
    expect(await response.text()).toBe('report body');
  });

  it('answers scheduled failures in the wire format, with retry_after for 429', async () => {
    fake.rateLimitNext('getMe', 3);
    const error = await client.api.getMe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 429, parameters: { retry_after: 3 } });
    await expect(client.api.getMe()).resolves.toMatchObject({ id: bot.user.id });
  });

  it('holds requests without answering while hung', async () => {
    fake.hang('getMe');
    const controller = new AbortController();
    const pending = client.api.getMe(grammySignal(controller.signal));
    await vi.waitFor(() => expect(fake.heldRequests).toBe(1), { timeout: 10_000 });
    controller.abort();
    await expect(pending).rejects.toThrow();
    fake.unhang();
    await expect(client.api.getMe()).resolves.toMatchObject({ id: bot.user.id });
  });
});
