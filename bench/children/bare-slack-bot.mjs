// The Slack baseline of channel-turn-overhead: the libraries the Slack plugin uses, bare. A
// Socket Mode client acks every message event and answers it at once with "ok <text>" through
// the Web API, as Nexus's echo provider does; no storage, no agent. Args: the Web API URL, the
// bot token and the app token; prints "ready" once the socket is connected.
import { SocketModeClient } from '@slack/socket-mode';
import { WebClient } from '@slack/web-api';

const [slackApiUrl, botToken, appToken] = process.argv.slice(2);
const web = new WebClient(botToken, { slackApiUrl, logLevel: 'error' });
const socket = new SocketModeClient({ appToken, clientOptions: { slackApiUrl }, logLevel: 'error' });
socket.on('message', async ({ event, ack }) => {
  await ack();
  if (event.bot_id === undefined) await web.chat.postMessage({ channel: event.channel, text: `ok ${event.text}` });
});
process.on('SIGTERM', () => void socket.disconnect().then(() => process.exit(0)));
await socket.start();
process.stdout.write('ready\n');
