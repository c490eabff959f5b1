import { describe, expect, it } from 'vitest';
import { slackConversationId } from '../../../src/builtin-plugins/slack/engine/index.js';
import { eventually } from '../../fixtures/platforms/shared/index.js';
import { startSlack } from './slack-test-kit.js';

describe('Slack inbound', () => {
  it('acks the envelope and hands a channel message on, normalised, with where its reply goes', async () => {
    const { slack, account, received } = await startSlack();
    const delivered = slack.deliver(slack.message({ channel: 'C0GENERAL', user: 'U0ALICE', text: 'Hello &amp; welcome &lt;team&gt;' }));
    await delivered.acked;
    await eventually(() => received.length === 1, 'the message arrived');

    const [message] = received;
    expect(message).toMatchObject({
      channel: 'slack',
      accountId: 'main',
      externalId: `C0GENERAL:${delivered.event.ts}`,
      senderId: 'U0ALICE',
      content: 'Hello & welcome <team>',
      metadata: {
        chat_type: 'channel',
        is_dm: false,
        mentioned: false,
        group_id: 'C0GENERAL',
        slack_channel: 'C0GENERAL',
        slack_user_id: 'U0ALICE',
        slack_ts: delivered.event.ts,
        slack_event_id: delivered.eventId,
        slack_team_id: slack.teamId,
        slack_reply_thread_ts: delivered.event.ts,
      },
    });
    expect(slack.acks).toContain(delivered.envelopeId);
    expect(account.status().received).toBe(1);
  });

  it('round trip: a reply to an inbound message lands in the thread under it', async () => {
    const { slack, account, received } = await startSlack();
    const delivered = slack.deliver(slack.message({ channel: 'C0GENERAL', text: 'what time is it?' }));
    await eventually(() => received.length === 1, 'the message arrived');
    const message = received[0]!;

    const receipt = await account.sender.send(
      { channel: 'slack', accountId: 'main', target: slackConversationId(message, 'thread'), content: 'It is **noon**.', metadata: message.metadata },
      { signal: AbortSignal.timeout(5_000) },
    );

    expect(slack.posts).toHaveLength(1);
    expect(slack.posts[0]).toMatchObject({ method: 'chat.postMessage', channel: 'C0GENERAL', thread_ts: delivered.event.ts, text: 'It is *noon*.' });
    expect(receipt.externalId).toBe(`C0GENERAL:${slack.posts[0]!.ts}`);
    expect(slackConversationId(message, 'thread')).toBe(`main:C0GENERAL:${delivered.event.ts}`);
    expect(slackConversationId(message, 'channel')).toBe('main:C0GENERAL');
  });

  it('keeps a thread reply in its thread, and knows a thread the bot answered in', async () => {
    const { slack, account, received } = await startSlack();
    slack.deliver(slack.message({ channel: 'C0GENERAL', ts: '1700000100.000001', text: '<@UBOT> start' }));
    await eventually(() => received.length === 1, 'the first message arrived');
    await account.sender.send({ channel: 'slack', accountId: 'main', target: 'main:C0GENERAL', content: 'started', metadata: received[0]!.metadata }, { signal: AbortSignal.timeout(5_000) });

    slack.deliver(slack.message({ channel: 'C0GENERAL', thread_ts: '1700000100.000001', parent_user_id: 'U0USER', text: 'and then?' }));
    await eventually(() => received.length === 2, 'the thread reply arrived');

    expect(received[1]!.metadata).toMatchObject({ slack_thread_ts: '1700000100.000001', reply_to: '1700000100.000001', slack_reply_thread_ts: '1700000100.000001', in_bot_thread: true, mentioned: false });
    expect(slackConversationId(received[1]!, 'thread')).toBe(slackConversationId(received[0]!, 'thread'));
  });

  it('tells a DM from a channel and answers a DM inline, not in a thread', async () => {
    const { slack, account, received } = await startSlack();
    slack.deliver(slack.message({ channel: 'D0DIRECT', channel_type: 'im', text: 'hi bot' }));
    await eventually(() => received.length === 1, 'the DM arrived');

    expect(received[0]!.metadata).toMatchObject({ chat_type: 'dm', is_dm: true });
    expect(received[0]!.metadata).not.toHaveProperty('slack_reply_thread_ts');
    await account.sender.send({ channel: 'slack', accountId: 'main', target: slackConversationId(received[0]!, 'thread'), content: 'hello' }, { signal: AbortSignal.timeout(5_000) });
    expect(slack.posts[0]).toMatchObject({ channel: 'D0DIRECT', text: 'hello' });
    expect(slack.posts[0]).not.toHaveProperty('thread_ts');
  });

  it('sees an @mention of the bot, strips it from the text, and turns links into plain text', async () => {
    const { slack, received } = await startSlack();
    slack.deliver(slack.message({ type: 'app_mention', channel: 'C0GENERAL', text: '<@UBOT> summarise <https://example.com/a|this page> for <@U0BOB>' }));
    await eventually(() => received.length === 1, 'the mention arrived');

    expect(received[0]!.content).toBe('summarise this page (https://example.com/a) for <@U0BOB>');
    expect(received[0]!.metadata).toMatchObject({ mentioned: true, chat_type: 'channel' });
  });

  it('ignores bot messages (its own above all), edits and joins, but still acks them', async () => {
    const { slack, account, received } = await startSlack();
    const events = [
      slack.deliver(slack.message({ text: 'from a bot', bot_id: 'BOTHER', subtype: 'bot_message' })),
      slack.deliver(slack.message({ text: 'my own reply', user: 'UBOT', bot_id: 'BBOT' })),
      slack.deliver(slack.message({ text: '<@U0NEW> has joined', subtype: 'channel_join' })),
      slack.deliver(slack.message({ text: 'edited', subtype: 'message_changed' })),
    ];
    await Promise.all(events.map((e) => e.acked));
    slack.deliver(slack.message({ text: 'a person' }));
    await eventually(() => received.length === 1, 'the person’s message arrived');

    expect(received.map((m) => m.content)).toEqual(['a person']);
    expect(account.status().ignored).toBe(4);
  });

  it('hands a message on once when Slack redelivers it and when it comes as both message and app_mention', async () => {
    const { slack, account, received } = await startSlack({ fake: { ackTimeoutMs: 20 } });
    const event = slack.message({ channel: 'C0GENERAL', text: '<@UBOT> once please' });
    slack.deliver(event);
    slack.deliver({ ...event, type: 'app_mention' });
    slack.deliver(event, { eventId: 'EvSAMEAGAIN' });
    await eventually(() => account.status().duplicates === 2, 'both copies were recognised');
    await account.idle();

    expect(received).toHaveLength(1);
    expect(account.status()).toMatchObject({ received: 1, duplicates: 2 });
  });

  it('downloads attached files within max_attachment_bytes and reports the ones it skipped', async () => {
    const { slack, received } = await startSlack({ settings: { max_attachment_bytes: 1_000 } });
    const small = slack.addFile('notes.txt', 'text/plain', Buffer.from('remember the milk'));
    const large = slack.addFile('video.mp4', 'video/mp4', Buffer.alloc(5_000, 1));
    const liar = { ...slack.addFile('liar.bin', 'application/octet-stream', Buffer.alloc(3_000, 2)), size: 10 };
    slack.deliver(slack.message({ text: 'files', subtype: 'file_share', files: [small, large, liar] }));
    await eventually(() => received.length === 1, 'the message arrived');

    const [message] = received;
    expect(message!.attachments).toEqual([{ name: 'notes.txt', mimeType: 'text/plain', data: new Uint8Array(Buffer.from('remember the milk')) }]);
    expect(message!.metadata?.attachments_skipped).toEqual([
      { name: 'video.mp4', size: 5_000, reason: 'it is larger than max_attachment_bytes (5000 > 1000 bytes)' },
      { name: 'liar.bin', size: 10, reason: 'it is larger than max_attachment_bytes (3000 > 1000 bytes)' },
    ]);
    // The large file was refused on its declared size, without a request.
    expect(slack.downloads).toEqual([small.id, liar.id]);
  });

  it('says a file came back as the sign-in page when the bot lacks files:read', async () => {
    const { slack, received } = await startSlack();
    slack.setBotScopes(['chat:write', 'channels:history']);
    const file = slack.addFile('report.pdf', 'application/pdf', Buffer.from('%PDF-1.7'));
    slack.deliver(slack.message({ text: 'see attached', subtype: 'file_share', files: [file] }));
    await eventually(() => received.length === 1, 'the message arrived');

    expect(received[0]!.attachments).toBeUndefined();
    expect(received[0]!.metadata?.attachments_skipped).toEqual([
      { name: 'report.pdf', size: 8, reason: expect.stringContaining('the bot token lacks the files:read scope') as unknown },
    ]);
  });

  it('never sends the bot token to a file URL outside Slack', async () => {
    const { slack, received } = await startSlack();
    const file = { ...slack.addFile('x.txt', 'text/plain', Buffer.from('x')), url_private_download: 'https://attacker.example/x.txt' };
    slack.deliver(slack.message({ text: 'file', subtype: 'file_share', files: [file] }));
    await eventually(() => received.length === 1, 'the message arrived');

    expect(received[0]!.metadata?.attachments_skipped).toEqual([{ name: 'x.txt', size: 1, reason: 'its URL is not on Slack (https://attacker.example), so the bot token is not sent there' }]);
  });

  it('asks the policy decision before handing a message on, and fetches no file for a refused sender', async () => {
    const seen: string[] = [];
    const { slack, account, received } = await startSlack({
      engine: {
        admit: (message) => {
          seen.push(`${String(message.metadata?.chat_type)}:${message.senderId}:${String(message.metadata?.mentioned)}`);
          return message.senderId === 'U0FRIEND';
        },
      },
    });
    const file = slack.addFile('secret.txt', 'text/plain', Buffer.from('x'));
    slack.deliver(slack.message({ user: 'U0STRANGER', channel: 'D0DM', channel_type: 'im', text: 'let me in', subtype: 'file_share', files: [file] }));
    slack.deliver(slack.message({ user: 'U0FRIEND', text: '<@UBOT> hi' }));
    await eventually(() => received.length === 1, 'the friend’s message arrived');
    await account.idle();

    expect(seen).toEqual(['dm:U0STRANGER:false', 'channel:U0FRIEND:true']);
    expect(received.map((m) => m.senderId)).toEqual(['U0FRIEND']);
    expect(account.status()).toMatchObject({ received: 2, refused: 1 });
    expect(slack.downloads).toEqual([]);
  });

  it('keeps messages of one conversation in order while another conversation is busy', async () => {
    const { slack, account } = await startSlack();
    const order: string[] = [];
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    account.onMessage(async (message) => {
      if (message.content === 'slow') await blocked;
      order.push(message.content);
    });
    slack.deliver(slack.message({ channel: 'D0ONE', channel_type: 'im', text: 'slow' }));
    slack.deliver(slack.message({ channel: 'D0ONE', channel_type: 'im', text: 'after slow' }));
    slack.deliver(slack.message({ channel: 'D0TWO', channel_type: 'im', text: 'other chat' }));
    await eventually(() => order.includes('other chat'), 'the other chat was served');
    expect(order).toEqual(['other chat']);
    release();
    await account.idle();
    expect(order).toEqual(['other chat', 'slow', 'after slow']);
  });
});
