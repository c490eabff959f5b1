// The channel benchmarks' baseline: a bare grammY bot (the library the Telegram plugin uses)
// that long-polls the fake Bot API and answers every text message at once with "ok <text>",
// as Nexus's echo provider does. No storage, no agent, no rate limiter: the platform round trip
// alone. Args: the API root and the bot token; prints "ready" once polling has started.
import { Bot } from 'grammy';

const [apiRoot, token] = process.argv.slice(2);
const bot = new Bot(token, { client: { apiRoot } });
bot.on('message:text', (ctx) => ctx.reply(`ok ${ctx.message.text}`));
process.on('SIGTERM', () => void bot.stop().then(() => process.exit(0)));
await bot.start({ timeout: 30, onStart: () => process.stdout.write('ready\n') });
