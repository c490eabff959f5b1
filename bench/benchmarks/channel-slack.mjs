// The Slack side of channel-turn-overhead: a fake Slack (Web API and Socket Mode) per side, a
// direct message delivered over Socket Mode, the reply's chat.postMessage timed.
import { OPEN_ACCESS, platformFixture, startBareBot, startChannelServe, timedPost, until } from './channel-common.mjs';

export const slack = {
  name: 'Slack',
  what: 'a direct message over Socket Mode; Nexus also adds and removes its ⏳ reaction',
  // The account's pace (slack-accounts.ts: 5 Web API calls/s, burst 20) must never make a turn
  // wait: a turn makes three calls (reaction on, reply, reaction off), so a pair takes at least
  // 600 ms, and fewer turns per run keep the benchmark's length in line with the others.
  pauseMs: 650,
  turnsPerRun: 60,
  warmupTurns: 20,
  async start(dir, side) {
    const { startFakeSlack } = await platformFixture('slack/index.ts');
    const fake = await startFakeSlack();
    const account = { bot_token: fake.botToken, app_token: fake.appToken, api_base_url: fake.apiUrl, ...OPEN_ACCESS };
    const process = side === 'nexus' ? await startChannelServe(dir, { slack: { accounts: { main: account } } }) : await startBareBot('bare-slack-bot.mjs', [fake.apiUrl, fake.botToken, fake.appToken]);
    await until(() => fake.openSockets() === 1, `the ${side} Socket Mode connection`);
    let next = 0;
    return {
      conversation: () => ({ channel: `D0BENCH${next++}` }),
      reply: ({ channel }, text) =>
        timedPost(fake.posted, (post) => post.method === 'chat.postMessage' && post.channel === channel && post.text === `ok ${text}`, () => fake.deliver(fake.message({ text, channel, channel_type: 'im' }))),
      async stop() {
        await process.stop();
        await fake.close();
      },
    };
  },
};
