import { describe, expect, it } from 'vitest';
import { SlackApiError, slackTarget, SLACK_MESSAGE_LIMIT } from '../../../src/builtin-plugins/slack/engine/index.js';
import { startSlack } from './slack-test-kit.js';

const signal = () => AbortSignal.timeout(5_000);

describe('Slack outbound', () => {
  it('splits a long reply at the 4,000-character limit and posts every part in the thread, in order', async () => {
    const { slack, account } = await startSlack();
    const paragraphs = Array.from({ length: 9 }, (_, i) => `${String(i).repeat(900)}`);
    await account.sender.send({ channel: 'slack', accountId: 'main', target: 'main:C0GENERAL:1700000000.000001', content: paragraphs.join('\n\n') }, { signal: signal() });

    expect(slack.posts.length).toBeGreaterThan(2);
    for (const post of slack.posts) {
      expect(post.text.length).toBeLessThanOrEqual(SLACK_MESSAGE_LIMIT);
      expect(post).toMatchObject({ channel: 'C0GENERAL', thread_ts: '1700000000.000001' });
    }
    expect(slack.posts.map((p) => p.text).join('\n\n')).toBe(paragraphs.join('\n\n'));
  });

  it('splits through the chunker it is given (the channel kit plugs in there)', async () => {
    const { slack, account } = await startSlack({ engine: { chunk: (text) => text.split('|') } });
    await account.sender.send({ channel: 'slack', accountId: 'main', target: 'C0GENERAL', content: 'one|two|three' }, { signal: signal() });
    expect(slack.posts.map((p) => p.text)).toEqual(['one', 'two', 'three']);
  });

  it('edits a reply in place with chat.update, as a streaming draft does', async () => {
    const { slack, account } = await startSlack();
    const target = slackTarget('main:C0GENERAL:1700000000.000001');
    const ts = await account.sender.post(target, 'Thinking…', signal());
    await account.sender.edit(target, ts, 'The answer', signal());
    await account.sender.edit(target, ts, 'The answer is 42.', signal());

    expect(slack.posts.map((p) => [p.method, p.text])).toEqual([
      ['chat.postMessage', 'Thinking…'],
      ['chat.update', 'The answer'],
      ['chat.update', 'The answer is 42.'],
    ]);
    expect(slack.messages.get(`C0GENERAL:${ts}`)).toBe('The answer is 42.');
  });

  it('waits out a 429 for as long as Retry-After says, then posts', async () => {
    const limited: [string, number][] = [];
    const { slack, account, waits } = await startSlack({ engine: { onRateLimited: (method, ms) => void limited.push([method, ms]) } });
    slack.rateLimit('chat.postMessage', 7, 2);
    await account.sender.send({ channel: 'slack', accountId: 'main', target: 'C0GENERAL', content: 'eventually' }, { signal: signal() });

    expect(slack.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.status)).toEqual([429, 429, 200]);
    expect(waits).toEqual([7_000, 7_000]);
    expect(limited).toEqual([
      ['chat.postMessage', 7_000],
      ['chat.postMessage', 7_000],
    ]);
    expect(slack.posts.map((p) => p.text)).toEqual(['eventually']);
  });

  it('fails with rate_limited after as many 429s as it may wait out', async () => {
    const { slack, account } = await startSlack({ engine: { maxRateLimitRetries: 1 } });
    slack.rateLimit('chat.update', 3, 5);
    const error = await account.sender.edit(slackTarget('C0GENERAL'), '1.1', 'x', signal()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(SlackApiError);
    expect(error).toMatchObject({ code: 'rate_limited', message: 'Slack rate-limited chat.update; retry after 3 s' });
  });

  it('says what is wrong when a post fails: an unknown message to edit, a missing scope', async () => {
    const { slack, account } = await startSlack();
    await expect(account.sender.edit(slackTarget('C0GENERAL'), '1.000001', 'x', signal())).rejects.toMatchObject({ code: 'not_found', message: 'chat.update: message not found' });
    slack.setBotScopes(['channels:history']);
    await expect(account.sender.post(slackTarget('C0GENERAL'), 'x', signal())).rejects.toMatchObject({
      code: 'missing_scope',
      message:
        'the bot token lacks the chat:write scope that chat.postMessage needs (it has: channels:history); add chat:write under OAuth & Permissions → Bot Token Scopes, then reinstall the app',
    });
  });

  it('refuses a target it cannot place, saying what a target looks like', () => {
    expect(() => slackTarget('general')).toThrow('"general" is not a Slack target: use a channel id (C…, D…, G…) or <account>:<channel>[:<thread ts>]');
    expect(slackTarget('C0GENERAL')).toEqual({ channel: 'C0GENERAL' });
    expect(slackTarget('main:D0DM')).toEqual({ channel: 'D0DM' });
  });

  it('posts Markdown in Slack’s dialect (the kit’s mrkdwn converter by default)', async () => {
    const { slack, account } = await startSlack();
    await account.sender.send({ channel: 'slack', accountId: 'main', target: 'C0GENERAL', content: '## Plan\n**bold**, ~~gone~~ and [docs](https://x.dev/a) for a < b' }, { signal: signal() });
    expect(slack.posts[0]!.text).toBe('*Plan*\n*bold*, ~gone~ and <https://x.dev/a|docs> for a &lt; b');
  });
});
