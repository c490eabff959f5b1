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
  it('Slack: a mention in a channel runs a turn in the thread session; the reply streams into the thread, edited in place', async () => {
    await using llm = await startFakeOpenAI();
    // The pause between the two parts outlasts the channel's edit interval, so the first part is shown before the second.
    llm.always({ ...textReply('The answer ', 'is forty-two.'), chunkDelayMs: 1_500 });
    await using slack = await startFakeSlack();
    const nexus = nexusInstance({ llm: fakeLlm(llm), channels: { slack: { accounts: { main: { bot_token: slack.botToken, app_token: slack.appToken, api_base_url: slack.apiUrl, ...OPEN } } } } });
    const server = await nexus.serve();
    await eventually(() => slack.openSockets() === 1, 'the Socket Mode connection');
    const question = slack.message({ text: '<@UBOT> what is the answer?', channel: 'C0TEAM' });
    await slack.deliver(question).acked;
    await eventually(() => slack.posts.some((p) => p.method === 'chat.postMessage'), 'the reply');
    const reply = slack.posts.find((p) => p.method === 'chat.postMessage')!;
    expect(reply).toMatchObject({ channel: 'C0TEAM', thread_ts: question.ts });
    expect(reply.text).toBe('The answer');
    await eventually(() => slack.messages.get(`C0TEAM:${reply.ts}`) === 'The answer is forty-two.', 'the final text');
    expect(slack.posts.filter((p) => p.method === 'chat.postMessage')).toHaveLength(1);
    expect(slack.posts.filter((p) => p.method === 'chat.update').map((p) => p.text)).toEqual(['The answer is forty-two.']);
    // The ⏳ reaction marked the question while the turn ran.
    await eventually(() => slack.reactionLog.length === 2, 'the working reaction removed');
    await eventually(() => storedMessages(nexus.home, `main:slack:main:C0TEAM:${question.ts}`).length === 2, 'the stored answer');
    expect(slack.reactionLog).toEqual([`add C0TEAM:${question.ts}:hourglass_flowing_sand`, `remove C0TEAM:${question.ts}:hourglass_flowing_sand`]);
    expect(storedMessages(nexus.home, `main:slack:main:C0TEAM:${question.ts}`).map((m) => [m.role, m.content])).toEqual([
      ['user', 'what is the answer?'],
      ['assistant', 'The answer is forty-two.'],
    ]);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    expect(slack.openSockets()).toBe(0);
  });

  it('Discord: a DM runs a turn in the DM session; typing shows, and the reply streams into the DM, edited in place', async () => {
    await using llm = await startFakeOpenAI();
    llm.always({ ...textReply('Hello ', 'from Nexus.'), chunkDelayMs: 1_500 });
    await using discord = await startFakeDiscord({ heartbeatIntervalMs: 60_000 });
    const dm = discord.addChannel({ dm: true });
    const nexus = nexusInstance({ llm: fakeLlm(llm), channels: { discord: { accounts: { main: { bot_token: discord.token, api_base_url: discord.apiUrl, ...OPEN } } } } });
    const server = await nexus.serve();
    await eventually(() => discord.gateway.identifies.length === 1 && discord.openConnections().length === 1, 'the gateway session');
    discord.dispatchMessage(discord.message({ channel_id: dm.id, content: 'hi there' }));
    await eventually(() => discord.sent.some((m) => m.channel_id === dm.id && discord.messages.get(m.id)?.content === 'Hello from Nexus.'), 'the reply');
    expect(discord.sent.map((m) => m.content)).toEqual(['Hello']);
    expect(discord.edits.map((e) => e.content)).toEqual(['Hello from Nexus.']);
    expect(discord.typing).toContain(dm.id);
    // The streamed text can be shown before the turn has stored its answer.
    await eventually(() => storedMessages(nexus.home, `main:discord:main:${dm.id}`).length === 2, 'the stored answer');
    expect(storedMessages(nexus.home, `main:discord:main:${dm.id}`).map((m) => [m.role, m.content])).toEqual([
      ['user', 'hi there'],
      ['assistant', 'Hello from Nexus.'],
    ]);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
