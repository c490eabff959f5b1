import { describe, expect, it, vi } from 'vitest';
import { startDiscordPlugin } from './discord/discord-plugin-kit.js';
import { startSlackPlugin } from './slack/slack-plugin-kit.js';
import { startFake, startTelegram } from './telegram/telegram-plugin-kit.js';

/** A start signal that never aborts: only the plugin's own deactivate can stop the channel. */
const forever = () => new AbortController().signal;
const eventually = <T>(assertion: () => T) => vi.waitFor(assertion, { timeout: 10_000, interval: 20 });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stopping the kernel, with no gateway to stop the channels, ends their connections: each
 * channel plugin stops what its runtime started when it is deactivated.
 */
describe('channel plugins stop their connections when the kernel stops', () => {
  it('Telegram: the fake Bot API sees no getUpdates after the stop, even when an update waits', async () => {
    const { fake, bot } = await startFake();
    const setup = await startTelegram(fake, bot, { account: { dm_policy: 'open', allow_from: ['*'] }, start: false });
    setup.inbound.onMessage(async (message) => void setup.received.push(message));
    await setup.lifecycle.start(forever());
    const ada = fake.user('Ada');
    const chat = fake.privateChat(ada);
    fake.userSays(bot, { chat, from: ada, text: 'before the stop' });
    await eventually(() => expect(setup.received).toHaveLength(1));
    // The next long poll is waiting (the one that brought the message has answered).
    await eventually(() => expect(bot.activePoll).toBeDefined());

    await setup.kernel.stop();
    // The long poll in flight was given up (the fake hears the connection close), and no other came.
    await eventually(() => expect(bot.activePoll).toBeUndefined());
    const polls = fake.callsOf('getUpdates').length;
    fake.userSays(bot, { chat, from: ada, text: 'after the stop' });
    await pause(1_000);
    expect(fake.callsOf('getUpdates')).toHaveLength(polls);
    expect(bot.activePoll).toBeUndefined();
    expect(setup.received).toHaveLength(1);
    // The gateway may stop the same lifecycle later: stopping twice is harmless.
    await setup.lifecycle.stop();
  });

  it('Slack: the Socket Mode connection is closed', async () => {
    const setup = await startSlackPlugin({ start: false });
    await setup.lifecycle.start(forever());
    await eventually(() => expect(setup.slack.openSockets()).toBe(1));
    await setup.kernel.stop();
    await eventually(() => expect(setup.slack.openSockets()).toBe(0));
    await setup.lifecycle.stop();
  });

  it('Discord: the gateway connection is closed', async () => {
    const setup = await startDiscordPlugin({ start: false });
    await setup.lifecycle.start(forever());
    await eventually(() => expect(setup.discord.openConnections()).toHaveLength(1));
    await setup.kernel.stop();
    await eventually(() => expect(setup.discord.openConnections()).toHaveLength(0));
    await setup.lifecycle.stop();
  });
});
