import { describe, expect, it } from 'vitest';
import { DiscordChannelError, DISCORD_MESSAGE_LIMIT, discordTarget } from '../../../src/builtin-plugins/discord/engine/index.js';
import { eventually } from '../../fixtures/platforms/shared/index.js';
import { sleepingWait, startDiscord } from './discord-test-kit.js';

const signal = () => AbortSignal.timeout(5_000);

describe('Discord outbound', () => {
  it('splits a long reply at 2,000 characters; only the first part answers the message', async () => {
    const { discord, account } = await startDiscord();
    const channel = discord.addChannel();
    const asked = discord.message({ channel_id: channel.id, content: 'tell me everything' });
    const paragraphs = Array.from({ length: 6 }, (_, i) => String.fromCharCode(97 + i).repeat(700));
    await account.sender.send(
      { channel: 'discord', accountId: 'main', target: `main:${channel.id}`, content: paragraphs.join('\n\n'), metadata: { discord_channel_id: channel.id, discord_message_id: asked.id } },
      { signal: signal() },
    );

    expect(discord.sent.length).toBeGreaterThan(2);
    for (const sent of discord.sent) expect(sent.content.length).toBeLessThanOrEqual(DISCORD_MESSAGE_LIMIT);
    expect(discord.sent.map((m) => m.message_reference?.message_id)).toEqual([asked.id, ...discord.sent.slice(1).map(() => undefined)]);
    expect(discord.sent.map((m) => m.content).join('\n\n')).toBe(paragraphs.join('\n\n'));
  });

  it('edits a reply in place, as a streaming draft does', async () => {
    const { discord, account } = await startDiscord();
    const channel = discord.addChannel();
    const target = discordTarget(channel.id);
    const id = await account.sender.post(target, 'Thinking…', signal());
    await account.sender.edit(target, id, 'The answer', signal());
    await account.sender.edit(target, id, 'The answer is 42.', signal());

    expect(discord.edits.map((e) => [e.messageId, e.content])).toEqual([
      [id, 'The answer'],
      [id, 'The answer is 42.'],
    ]);
    expect(discord.messages.get(id)?.content).toBe('The answer is 42.');
  });

  it('shows typing while a turn runs, renewing it until stopped', async () => {
    const { discord, account } = await startDiscord({ engine: { typingEveryMs: 20 } });
    const channel = discord.addChannel();
    const typing = account.sender.startTyping(discordTarget(channel.id));
    await eventually(() => discord.typing.length >= 3, 'typing was renewed');
    typing.stop();
    // A call already on the wire when it stopped may still land; after that, nothing more.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const count = discord.typing.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(discord.typing.length).toBe(count);
    expect(new Set(discord.typing)).toEqual(new Set([channel.id]));
  });

  it('waits out a 429 for as long as retry_after says, then posts', async () => {
    const { waits, wait } = sleepingWait();
    const limited: string[] = [];
    const { discord, account } = await startDiscord({ engine: { wait, onRateLimited: (route) => void limited.push(route) } });
    const channel = discord.addChannel();
    discord.rateLimit('POST /channels/:id/messages', 0.05, 2);
    await account.sender.send({ channel: 'discord', accountId: 'main', target: channel.id, content: 'eventually' }, { signal: signal() });

    expect(discord.requests.filter((r) => r.route === `POST /channels/${channel.id}/messages`).map((r) => r.status)).toEqual([429, 429, 200]);
    // retry_after 0.05 s, plus the 50 ms margin @discordjs/rest adds to every rate-limit wait
    expect(waits).toEqual([100, 100]);
    expect(limited).toEqual([`POST /channels/${channel.id}/messages`, `POST /channels/${channel.id}/messages`]);
    expect(discord.sent.map((m) => m.content)).toEqual(['eventually']);
  });

  it('fails with rate_limited after as many 429s as it may wait out', async () => {
    const { wait } = sleepingWait();
    const { discord, account } = await startDiscord({ engine: { wait, maxRateLimitRetries: 1 } });
    const channel = discord.addChannel();
    discord.rateLimit('POST /channels/:id/messages', 0.01, 5);
    const error = await account.sender.post(discordTarget(channel.id), 'x', signal()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordChannelError);
    expect(error).toMatchObject({ code: 'rate_limited', message: expect.stringMatching(new RegExp(`^Discord rate-limited POST /channels/${channel.id}/messages; retry after \\d+ ms$`)) as unknown });
  });

  it('says what is wrong when a post fails', async () => {
    const { discord, account } = await startDiscord();
    const channel = discord.addChannel();
    await expect(account.sender.post(discordTarget('123456789012345678'), 'x', signal())).rejects.toMatchObject({
      code: 'not_found',
      message: 'POST /channels/123456789012345678/messages: 404 Unknown Channel, code 10003',
    });
    await expect(account.sender.post(discordTarget(channel.id), 'x'.repeat(2_001), signal())).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('Must be 2000 or fewer in length') as unknown });
  });

  it('refuses a target it cannot place, saying what a target looks like', () => {
    expect(() => discordTarget('general')).toThrow('"general" is not a Discord target: use a channel id (a snowflake) or <account>:<channel id>');
    expect(discordTarget('main:123456789012345678')).toEqual({ channelId: '123456789012345678' });
  });
});
