// The Discord baseline of channel-turn-overhead: the libraries the Discord plugin uses, bare.
// A gateway client (@discordjs/core over @discordjs/ws and @discordjs/rest) answers every
// message from a user at once with "ok <content>", as Nexus's echo provider does; no storage,
// no agent. Args: the REST API URL and the bot token; prints "ready" on READY.
import { Client, GatewayDispatchEvents, GatewayIntentBits } from '@discordjs/core';
import { REST } from '@discordjs/rest';
import { WebSocketManager } from '@discordjs/ws';

const [api, token] = process.argv.slice(2);
const rest = new REST({ api }).setToken(token);
const intents = GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.DirectMessages | GatewayIntentBits.MessageContent;
const gateway = new WebSocketManager({ token, intents, rest, shardCount: 1 });
const client = new Client({ rest, gateway });
client.on(GatewayDispatchEvents.MessageCreate, async ({ data, api: calls }) => {
  if (!data.author.bot) await calls.channels.createMessage(data.channel_id, { content: `ok ${data.content}` });
});
client.once(GatewayDispatchEvents.Ready, () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => void gateway.destroy().then(() => process.exit(0)));
await gateway.connect();
