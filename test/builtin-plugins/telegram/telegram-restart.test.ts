import { describe, expect, it, vi } from 'vitest';
import { ChannelHealths } from '@nexus/plugin-sdk';
import { sqliteDatabase, startFake, startTelegram } from './telegram-plugin-kit.js';

const eventually = <T>(assertion: () => T | Promise<T>) => vi.waitFor(assertion, { timeout: 15_000, interval: 20 });
const open = { dm_policy: 'open', allow_from: ['*'] };

/**
 * A gateway restart on one SQLite database: the update offset kept in the plugin's table and
 * the inbound receipts mean nothing is handled twice, and nothing sent while it was down is lost.
 */
describe('Telegram across a restart', () => {
  it('continues from the saved offset, takes what arrived while down, and drops a redelivered message', async () => {
    const { fake, bot } = await startFake();
    const database = sqliteDatabase();
    const ada = fake.user('Ada');
    const chat = fake.privateChat(ada);

    const first = await startTelegram(fake, bot, { account: open, database });
    const before = fake.userSays(bot, { chat, from: ada, text: 'before the restart' });
    await eventually(() => expect(first.received.map((m) => m.content)).toEqual(['before the restart']));
    await first.lifecycle.stop();
    await first.kernel.stop();

    fake.userSays(bot, { chat, from: ada, text: 'while it was down' });
    const polls = fake.callsOf('getUpdates').length;
    const second = await startTelegram(fake, bot, { account: open, database });
    await eventually(() => expect(second.received.map((m) => m.content)).toEqual(['while it was down']));
    // The new process asked for the update after the last one the old one handled.
    expect(fake.callsOf('getUpdates')[polls]!.params.offset).toBe(before.update_id + 1);

    // Telegram sends a message again when its update was not confirmed (the offset was lost in a crash).
    const { update_id: _, ...again } = before;
    fake.injectUpdate(bot, again);
    fake.userSays(bot, { chat, from: ada, text: 'after the restart' });
    await eventually(() => expect(second.received.map((m) => m.content)).toEqual(['while it was down', 'after the restart']));
    const status = (await second.kernel.contributions.get(ChannelHealths, 'telegram')).status();
    expect(status.accounts?.main).toMatchObject({ received: 2, connected: true });
  });

  it('keeps offsets in the process with the in-memory store, so the same instance never repeats itself', async () => {
    const { fake, bot } = await startFake();
    const ada = fake.user('Ada');
    const chat = fake.privateChat(ada);
    const setup = await startTelegram(fake, bot, { account: open });
    fake.userSays(bot, { chat, from: ada, text: 'one' });
    await eventually(() => expect(setup.received).toHaveLength(1));
    await setup.lifecycle.stop();
    await setup.lifecycle.start(AbortSignal.timeout(10_000));
    fake.userSays(bot, { chat, from: ada, text: 'two' });
    await eventually(() => expect(setup.received.map((m) => m.content)).toEqual(['one', 'two']));
  });
});
