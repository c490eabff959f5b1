// The Discord side of channel-turn-overhead: a fake Discord (REST and gateway) per side, a DM
// dispatched as MESSAGE_CREATE on the gateway, the reply's POST /channels/:id/messages timed.
import { OPEN_ACCESS, platformFixture, startBareBot, startChannelServe, timedPost, until } from './channel-common.mjs';

export const discord = {
  name: 'Discord',
  what: 'a DM over the gateway; Nexus also posts a typing indicator',
  // The account's pace (discord-accounts.ts: 40 calls/s, burst 50) must never make a turn wait.
  pauseMs: 70,
  turnsPerRun: 200,
  warmupTurns: 50,
  async start(dir, side) {
    const { startFakeDiscord } = await platformFixture('discord/index.ts');
    const fake = await startFakeDiscord({ heartbeatIntervalMs: 60_000 });
    const account = { bot_token: fake.token, api_base_url: fake.apiUrl, ...OPEN_ACCESS };
    const process = side === 'nexus' ? await startChannelServe(dir, { discord: { accounts: { main: account } } }) : await startBareBot('bare-discord-bot.mjs', [fake.apiUrl, fake.token]);
    await until(() => fake.gateway.identifies.length === 1 && fake.openConnections().length === 1, `the ${side} gateway session`);
    return {
      conversation: () => fake.addChannel({ dm: true }),
      reply: (channel, text) =>
        timedPost(fake.posted, (message) => message.channel_id === channel.id && message.content === `ok ${text}`, () => fake.dispatchMessage(fake.message({ channel_id: channel.id, content: text }))),
      async stop() {
        await process.stop();
        await fake.close();
      },
    };
  },
};
