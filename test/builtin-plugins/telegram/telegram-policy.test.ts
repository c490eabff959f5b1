import { describe, expect, it, vi } from 'vitest';
import { ChannelPairingStoreToken } from '@nexus/plugin-sdk';
import { pairingCodeText } from '@nexus/plugin-sdk/channel';
import { sqliteDatabase, startFake, startTelegram } from './telegram-plugin-kit.js';

const eventually = <T>(assertion: () => T | Promise<T>) => vi.waitFor(assertion, { timeout: 15_000, interval: 20 });

/**
 * The access policy in the loaded plugin, against the Bot API fake: a refused message never
 * reaches the handler (the gateway's side) and is counted in the account's status.
 */
describe('Telegram access policy', () => {
  it('pairs an unknown DM sender: one code, nothing handed on, then let in once approved, across a restart too', async () => {
    const { fake, bot } = await startFake();
    const database = sqliteDatabase();
    const setup = await startTelegram(fake, bot, { database });
    const pairings = await setup.kernel.services.get(ChannelPairingStoreToken);
    const ada = fake.user('Ada', 'ada');
    const chat = fake.privateChat(ada);

    fake.userSays(bot, { chat, from: ada, text: 'hello?' });
    await eventually(() => expect(setup.health.status().accounts?.main?.refused).toBe(1));
    const [request] = await pairings.list({ channel: 'telegram' });
    expect(request).toMatchObject({ channel: 'telegram', accountId: 'main', senderId: String(ada.id), senderName: 'Ada', status: 'pending' });
    const told = fake.sentBy(bot, chat.id);
    expect(told).toHaveLength(1);
    // The channel kit's text, every channel's; Telegram shows the code in monospace, to copy with a tap.
    expect(told[0]!.text).toBe(pairingCodeText('telegram', request!.code));
    expect(told[0]!.raw).toContain(`<code>${request!.code}</code>`);
    expect(told[0]!.parseMode).toBe('HTML');

    // Writing again while the code is pending sends no second code.
    fake.userSays(bot, { chat, from: ada, text: 'anyone there?' });
    await eventually(() => expect(setup.health.status().accounts?.main?.refused).toBe(2));
    expect(fake.sentBy(bot, chat.id)).toHaveLength(1);
    expect(setup.received).toEqual([]);

    // What `nexus channels pair approve telegram <code>` does.
    expect(await pairings.decide('telegram', request!.code, 'approved')).toMatchObject({ status: 'approved' });
    fake.userSays(bot, { chat, from: ada, text: 'now?' });
    await eventually(() => expect(setup.received.map((m) => m.content)).toEqual(['now?']));
    expect(setup.health.status().accounts?.main).toMatchObject({ received: 3, refused: 2 });
    // As the gateway stops: the channel first, so its poller does not outlive the database.
    await setup.lifecycle.stop();
    await setup.kernel.stop();

    // The approval is in the database: a restarted gateway lets Ada in without a new code.
    const again = await startTelegram(fake, bot, { database });
    fake.userSays(bot, { chat, from: ada, text: 'still me' });
    await eventually(() => expect(again.received.map((m) => m.content)).toEqual(['still me']));
    expect(fake.sentBy(bot, chat.id)).toHaveLength(1);
  });

  it('lets in only allow_from under dm_policy: allowlist', async () => {
    const { fake, bot } = await startFake();
    const ada = fake.user('Ada');
    const eve = fake.user('Eve');
    const setup = await startTelegram(fake, bot, { account: { dm_policy: 'allowlist', allow_from: [ada.id] } });
    fake.userSays(bot, { chat: fake.privateChat(eve), from: eve, text: 'let me in' });
    fake.userSays(bot, { chat: fake.privateChat(ada), from: ada, text: 'it is me' });
    await eventually(() => expect(setup.received.map((m) => m.content)).toEqual(['it is me']));
    await eventually(() => expect(setup.health.status().accounts?.main?.refused).toBe(1));
    expect(fake.sentBy(bot)).toEqual([]);
  });

  it('answers in an allowed group only when mentioned or replied to, and never in a group not listed', async () => {
    const { fake, bot } = await startFake();
    const team = fake.group('Team', { supergroup: true });
    const other = fake.group('Other');
    const ada = fake.user('Ada');
    const setup = await startTelegram(fake, bot, { account: { allow_from: [String(team.id)] } });
    fake.userSays(bot, { chat: team, from: ada, text: 'just chatting' });
    fake.userSays(bot, { chat: team, from: ada, text: 'what do you think', mentionBot: true });
    fake.userSays(bot, { chat: other, from: ada, text: 'here too', mentionBot: true });
    await eventually(() => expect(setup.health.status().accounts?.main?.refused).toBe(2));
    await eventually(() => expect(setup.received.map((m) => m.content)).toEqual(['what do you think @nexus_helper_bot']));
    expect(setup.received[0]!.metadata).toMatchObject({ chat_id: team.id, mentioned: true });
  });

  it('serves only the senders group_allow_from lists for a group, in each of its forum topics too', async () => {
    const { fake, bot } = await startFake();
    const forum = fake.group('Forum', { supergroup: true, forum: true });
    const other = fake.group('Other', { supergroup: true });
    const ada = fake.user('Ada');
    const eve = fake.user('Eve');
    const setup = await startTelegram(fake, bot, { account: { allow_from: [], group_allow_from: { [String(forum.id)]: [ada.id] } } });
    fake.userSays(bot, { chat: forum, from: eve, text: 'me too', mentionBot: true });
    fake.userSays(bot, { chat: forum, from: ada, text: 'in a topic', mentionBot: true, threadId: 7 });
    fake.userSays(bot, { chat: other, from: ada, text: 'not listed here', mentionBot: true });
    await eventually(() => expect(setup.health.status().accounts?.main?.refused).toBe(2));
    await eventually(() => expect(setup.received.map((m) => m.content)).toEqual(['in a topic @nexus_helper_bot']));
    expect(setup.received[0]!.metadata).toMatchObject({ group_id: String(forum.id), topic_id: 7 });
  });
});
