import { describe, expect, it } from 'vitest';
import { discordConversationId } from '../../../src/builtin-plugins/discord/engine/index.js';
import { eventually } from '../../fixtures/platforms/shared/index.js';
import { startDiscord } from './discord-test-kit.js';

const signal = () => AbortSignal.timeout(5_000);

describe('Discord inbound', () => {
  it('round trip: a server message arrives normalised, and the reply answers it in the same channel, pinging nobody', async () => {
    const { discord, account, received } = await startDiscord();
    const channel = discord.addChannel({ name: 'general' });
    const message = discord.message({ channel_id: channel.id, content: 'hello there' });
    discord.dispatchMessage(message);
    await eventually(() => received.length === 1, 'the message arrived');

    expect(received[0]).toMatchObject({
      channel: 'discord',
      accountId: 'main',
      externalId: message.id,
      senderId: message.author.id,
      content: 'hello there',
      metadata: {
        chat_type: 'channel',
        is_dm: false,
        mentioned: false,
        group_id: channel.id,
        discord_channel_id: channel.id,
        discord_guild_id: discord.guildId,
        discord_message_id: message.id,
        discord_user_id: message.author.id,
        discord_username: 'alice',
        discord_display_name: 'Alice',
        discord_mentions: [],
      },
    });

    const target = discordConversationId(received[0]!, 'thread');
    expect(target).toBe(`main:${channel.id}`);
    const receipt = await account.sender.send({ channel: 'discord', accountId: 'main', target, content: 'general **kenobi**', metadata: received[0]!.metadata }, { signal: signal() });
    expect(discord.sent).toHaveLength(1);
    expect(discord.sent[0]).toMatchObject({ id: receipt.externalId, channel_id: channel.id, content: 'general **kenobi**', message_reference: { message_id: message.id }, allowed_mentions_sent: { parse: [], replied_user: false } });
  });

  it('tells a DM from a server message and answers a DM without quoting it', async () => {
    const { discord, account, received } = await startDiscord();
    const dm = discord.addChannel({ dm: true });
    discord.dispatchMessage(discord.message({ channel_id: dm.id, content: 'psst' }));
    await eventually(() => received.length === 1, 'the DM arrived');

    expect(received[0]!.metadata).toMatchObject({ chat_type: 'dm', is_dm: true });
    expect(received[0]!.metadata).not.toHaveProperty('group_id');
    await account.sender.send({ channel: 'discord', accountId: 'main', target: discordConversationId(received[0]!, 'thread'), content: 'hi', metadata: received[0]!.metadata }, { signal: signal() });
    expect(discord.sent[0]).not.toHaveProperty('message_reference');
  });

  it('counts an @mention or a reply to the bot as addressing it, and strips the mention from the text', async () => {
    const { discord, received } = await startDiscord();
    const channel = discord.addChannel();
    const bot = discord.botUser;
    discord.dispatchMessage(discord.message({ channel_id: channel.id, content: `<@${bot.id}> what is up`, mentions: [bot] }));
    const botMessage = { ...discord.message({ channel_id: channel.id, content: 'I said so' }), author: bot };
    discord.dispatchMessage(discord.message({ channel_id: channel.id, content: 'why?', type: 19, message_reference: { message_id: botMessage.id }, referenced_message: botMessage }));
    discord.dispatchMessage(discord.message({ channel_id: channel.id, content: 'not for you <@!999999999999999999>' }));
    await eventually(() => received.length === 3, 'all three arrived');

    expect(received.map((m) => [m.content, m.metadata?.mentioned])).toEqual([
      ['what is up', true],
      ['why?', true],
      ['not for you <@!999999999999999999>', false],
    ]);
    expect(received[1]!.metadata?.reply_to).toBe(botMessage.id);
  });

  it('knows a message in a thread by its thread, with the parent channel, and scopes sessions either way', async () => {
    const { discord, received, account } = await startDiscord();
    const parent = discord.addChannel({ name: 'support' });
    const thread = discord.addThread(parent.id, 'printer on fire');
    discord.dispatchMessage(discord.message({ channel_id: thread.id, content: 'still burning' }));
    await eventually(() => received.length === 1, 'the thread message arrived');

    expect(received[0]!.metadata).toMatchObject({ discord_channel_id: thread.id, discord_thread_id: thread.id, discord_thread_name: 'printer on fire', discord_parent_id: parent.id, group_id: parent.id });
    expect(discordConversationId(received[0]!, 'thread')).toBe(`main:${thread.id}`);
    expect(discordConversationId(received[0]!, 'channel')).toBe(`main:${parent.id}`);
    await account.sender.send({ channel: 'discord', accountId: 'main', target: discordConversationId(received[0]!, 'channel'), content: 'call the fire brigade', metadata: received[0]!.metadata }, { signal: signal() });
    expect(discord.sent[0]!.channel_id).toBe(thread.id);
  });

  it('looks up a thread it has not seen created, once', async () => {
    const { discord, received } = await startDiscord();
    const parent = discord.addChannel();
    const thread = { id: discord.nextId(), type: 11, guild_id: discord.guildId, name: 'older thread', parent_id: parent.id };
    discord.channels.set(thread.id, thread);
    discord.dispatchMessage(discord.message({ channel_id: thread.id, content: 'one' }));
    discord.dispatchMessage(discord.message({ channel_id: thread.id, content: 'two' }));
    await eventually(() => received.length === 2, 'both arrived');

    expect(received.map((m) => m.metadata?.discord_parent_id)).toEqual([parent.id, parent.id]);
    expect(discord.requests.filter((r) => r.route === `GET /channels/${thread.id}`)).toHaveLength(1);
  });

  it('ignores bots (itself above all), system messages and messages with neither text nor files', async () => {
    const { discord, account, received, logger } = await startDiscord();
    const channel = discord.addChannel();
    discord.dispatchMessage({ ...discord.message({ channel_id: channel.id, content: 'my own reply' }), author: discord.botUser });
    discord.dispatchMessage(discord.message({ channel_id: channel.id, content: 'another bot', author: { id: '400000000000000001', username: 'otherbot', discriminator: '0', avatar: null, bot: true } }));
    discord.dispatchMessage(discord.message({ channel_id: channel.id, content: '', type: 7 }));
    discord.dispatchMessage(discord.message({ channel_id: channel.id, content: '' }));
    discord.dispatchMessage(discord.message({ channel_id: channel.id, content: 'a person' }));
    await eventually(() => received.length === 1, 'the person’s message arrived');

    expect(received.map((m) => m.content)).toEqual(['a person']);
    expect(account.status().ignored).toBe(4);
    expect(logger.entries.some((e) => e.level === 'warn' && e.msg.includes('the Message Content intent is probably off'))).toBe(true);
  });

  it('asks the policy decision before handing a message on, and fetches no attachment for a refused sender', async () => {
    const seen: string[] = [];
    const { discord, account, received } = await startDiscord({
      engine: {
        admit: (message) => {
          seen.push(`${String(message.metadata?.chat_type)}:${String(message.metadata?.mentioned)}`);
          return message.metadata?.mentioned === true;
        },
      },
    });
    const channel = discord.addChannel();
    const file = discord.addAttachment('x.txt', 'text/plain', Buffer.from('x'), channel.id);
    discord.dispatchMessage(discord.message({ channel_id: channel.id, content: 'chatter', attachments: [file] }));
    discord.dispatchMessage(discord.message({ channel_id: channel.id, content: `<@${discord.botUser.id}> help`, mentions: [discord.botUser] }));
    await eventually(() => received.length === 1, 'the mention arrived');
    await account.idle();

    expect(seen).toEqual(['channel:false', 'channel:true']);
    expect(received.map((m) => m.content)).toEqual(['help']);
    expect(account.status()).toMatchObject({ received: 2, refused: 1 });
    expect(discord.downloads).toEqual([]);
  });

  it('hands a message on once when the gateway delivers it twice', async () => {
    const { discord, account, received } = await startDiscord();
    const channel = discord.addChannel();
    const message = discord.message({ channel_id: channel.id, content: 'once' });
    discord.dispatchMessage(message);
    discord.dispatchMessage(message);
    await eventually(() => account.status().duplicates === 1, 'the copy was recognised');
    await account.idle();
    expect(received).toHaveLength(1);
  });

  it('downloads attachments within max_attachment_bytes and reports the ones it skipped', async () => {
    const { discord, received } = await startDiscord({ settings: { max_attachment_bytes: 1_000 } });
    const channel = discord.addChannel();
    const small = discord.addAttachment('notes.txt', 'text/plain', Buffer.from('take the bins out'), channel.id);
    const large = discord.addAttachment('video.mp4', 'video/mp4', Buffer.alloc(4_000, 1), channel.id);
    const understated = { ...discord.addAttachment('liar.bin', 'application/octet-stream', Buffer.alloc(2_000, 2), channel.id), size: 10 };
    discord.dispatchMessage(discord.message({ channel_id: channel.id, content: '', attachments: [small, large, understated] }));
    await eventually(() => received.length === 1, 'the message arrived');

    expect(received[0]!.attachments).toEqual([{ name: 'notes.txt', mimeType: 'text/plain', url: small.url, data: new Uint8Array(Buffer.from('take the bins out')) }]);
    expect(received[0]!.metadata?.attachments_skipped).toEqual([
      { name: 'video.mp4', size: 4_000, reason: 'it is larger than max_attachment_bytes (4000 > 1000 bytes)' },
      { name: 'liar.bin', size: 10, reason: 'it is larger than max_attachment_bytes (2000 > 1000 bytes)' },
    ]);
    expect(discord.downloads).toEqual([small.id, understated.id]);
  });
});
