import { describe, expect, it, vi } from 'vitest';
import { startFake, startTelegram } from './telegram-plugin-kit.js';

const eventually = <T>(assertion: () => T | Promise<T>) => vi.waitFor(assertion, { timeout: 15_000, interval: 20 });

/** The `replies` capability as the gateway uses it: typing, one message edited in place, settled or taken back. */
describe('Telegram streamed replies', () => {
  it('shows typing, posts the first text, edits the same message as the text grows, and settles the final text', async () => {
    const { fake, bot } = await startFake();
    const setup = await startTelegram(fake, bot, { account: { dm_policy: 'open', allow_from: ['*'] } });
    const ada = fake.user('Ada');
    const chat = fake.privateChat(ada);
    fake.userSays(bot, { chat, from: ada, text: 'tell me' });
    await eventually(() => expect(setup.received).toHaveLength(1));
    const inbound = setup.received[0]!;

    const draft = setup.replies.open({ inbound, target: setup.conversation.conversationId(inbound), signal: AbortSignal.timeout(30_000) });
    await eventually(() => expect(fake.chatActions.filter((a) => a.chatId === chat.id).map((a) => a.action)).toContain('typing'));
    draft.update('Once');
    await eventually(() => expect(fake.sentBy(bot, chat.id).map((s) => s.text)).toEqual(['Once']));
    draft.update('Once upon');
    draft.update('Once upon a **time**');
    const receipt = await draft.finish('Once upon a **time**, there was a bot.');

    const sent = fake.sentBy(bot, chat.id);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toBe('Once upon a time, there was a bot.');
    expect(sent[0]!.entities).toEqual([{ type: 'bold', offset: 12, length: 4 }]);
    expect(sent[0]!.history[0]).toBe('Once');
    expect(sent[0]!.history.length).toBeGreaterThanOrEqual(2);
    expect(fake.callsOf('editMessageText').length).toBe(sent[0]!.history.length - 1);
    expect(receipt.externalId).toBe(`${chat.id}:${sent[0]!.messageId}`);
    expect(setup.health.status().accounts?.main?.sent).toBe(1);
  });

  it('rewrites the shown text when the final text is not what streamed, and deletes an abandoned reply', async () => {
    const { fake, bot } = await startFake();
    const setup = await startTelegram(fake, bot, { account: { dm_policy: 'open', allow_from: ['*'] } });
    const ada = fake.user('Ada');
    const chat = fake.privateChat(ada);
    fake.userSays(bot, { chat, from: ada, text: 'tell me' });
    await eventually(() => expect(setup.received).toHaveLength(1));
    const inbound = setup.received[0]!;
    const target = setup.conversation.conversationId(inbound);

    const rewritten = setup.replies.open({ inbound, target, signal: AbortSignal.timeout(30_000) });
    rewritten.update('My secret is 1234');
    await eventually(() => expect(fake.sentBy(bot, chat.id)).toHaveLength(1));
    // A message.sending hook redacted the reply.
    await rewritten.finish('My secret is [redacted]');
    expect(fake.sentBy(bot, chat.id).map((s) => s.text)).toEqual(['My secret is [redacted]']);

    const abandoned = setup.replies.open({ inbound, target, signal: AbortSignal.timeout(30_000) });
    abandoned.update('Half an ans');
    await eventually(() => expect(fake.sentBy(bot, chat.id)).toHaveLength(2));
    await abandoned.abandon('the turn failed');
    expect(fake.sentBy(bot, chat.id).map((s) => s.deleted === true)).toEqual([false, true]);
    expect(fake.callsOf('deleteMessage')).toHaveLength(1);
  });
});
