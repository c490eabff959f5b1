import { describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../fixtures/platforms/discord/index.js';
import { startFakeSlack } from '../fixtures/platforms/slack/index.js';
import { startFakeOpenAI, textReply } from '../fixtures/llm-servers/index.js';
import { fakeLlm, nexusInstance, storedMessages } from './serve-harness.js';

const OPEN = { dm_policy: 'open', group_policy: 'open', allow_from: ['*'], require_mention: true };

async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('e2e: Slack and Discord through a real gateway', { timeout: 120_000 }, () => {
  it('Slack: a mention in a channel runs a turn in the thread session and the reply lands in the thread', async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('The answer ', 'is forty-two.'));
    await using slack = await startFakeSlack();
    const nexus = nexusInstance({ llm: fakeLlm(llm), channels: { slack: { accounts: { main: { bot_token: slack.botToken, app_token: slack.appToken, api_base_url: slack.apiUrl, ...OPEN } } } } });
    const server = await nexus.serve();
    await eventually(() => slack.openSockets() === 1, 'the Socket Mode connection');
    const question = slack.message({ text: '<@UBOT> what is the answer?', channel: 'C0TEAM' });
    await slack.deliver(question).acked;
    await eventually(() => slack.posts.some((p) => p.method === 'chat.postMessage'), 'the reply');
    const reply = slack.posts.find((p) => p.method === 'chat.postMessage')!;
    expect(reply).toMatchObject({ channel: 'C0TEAM', thread_ts: question.ts });
    await eventually(() => slack.messages.get(`C0TEAM:${reply.ts}`) === 'The answer is forty-two.', 'the final text');
    expect(storedMessages(nexus.home, `main:slack:main:C0TEAM:${question.ts}`).map((m) => [m.role, m.content])).toEqual([
      ['user', 'what is the answer?'],
      ['assistant', 'The answer is forty-two.'],
    ]);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    expect(slack.openSockets()).toBe(0);
  });

  it('Discord: a DM runs a turn in the DM session and the reply lands in the DM', async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('Hello ', 'from Nexus.'));
    await using discord = await startFakeDiscord({ heartbeatIntervalMs: 60_000 });
    const dm = discord.addChannel({ dm: true });
    const nexus = nexusInstance({ llm: fakeLlm(llm), channels: { discord: { accounts: { main: { bot_token: discord.token, api_base_url: discord.apiUrl, ...OPEN } } } } });
    const server = await nexus.serve();
    await eventually(() => discord.gateway.identifies.length === 1 && discord.openConnections().length === 1, 'the gateway session');
    await new Promise((resolve) => setTimeout(resolve, 200));
    discord.dispatchMessage(discord.message({ channel_id: dm.id, content: 'hi there' }));
    await eventually(() => discord.sent.some((m) => m.channel_id === dm.id && discord.messages.get(m.id)?.content === 'Hello from Nexus.'), 'the reply');
    expect(storedMessages(nexus.home, `main:discord:main:${dm.id}`).map((m) => [m.role, m.content])).toEqual([
      ['user', 'hi there'],
      ['assistant', 'Hello from Nexus.'],
    ]);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
