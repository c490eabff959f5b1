// What Nexus adds between a chat message and its answer, per platform: from a user's message
// reaching the platform's fake (test/fixtures/platforms) until the reply is posted to it, with
// `nexus serve` (default plugins, SQLite at synchronous=full, one account of the channel) and the
// instant echo provider. The baseline is a bare bot on the same platform library (grammY;
// @slack/socket-mode and @slack/web-api; @discordjs/core) answering the same messages at once on
// a fake of its own: the platform round trip alone. Turns alternate between the two, one at a
// time, with a pause after each pair (each platform's `pauseMs`) so the account's rate limit
// never makes a turn wait: this measures the path, not the pace (channel-sustained-1000 measures
// that for Telegram). A new conversation per run; p50 and p99 per run, median over runs.
import { join } from 'node:path';
import { median } from '../harness/median.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';
import { percentile } from './channel-common.mjs';
import { discord } from './channel-discord.mjs';
import { slack } from './channel-slack.mjs';
import { telegram } from './channel-telegram.mjs';

const PLATFORMS = [telegram, slack, discord];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const key = (platform) => platform.name.toLowerCase();
const what = (platform, stat) =>
  `${stat} over ${platform.turnsPerRun} sequential ${platform.name} turns (${platform.what}; ${platform.pauseMs} ms between pairs, under the account's rate limit), from the user's message reaching the fake ${platform.name} until the reply is posted to it, through \`nexus serve\` (default plugins, SQLite synchronous=full, instant echo provider); baseline: ${stat} of a bare bot on the same library answering the same messages, same runs`;

export default {
  results: PLATFORMS.flatMap((platform) => ['p50', 'p99'].map((stat) => ({ name: `channel-turn-overhead-${key(platform)}-${stat}`, unit: 'ms', what: what(platform, stat) }))),
  async run({ runs }) {
    const root = makeWorkDir('channel-turn-overhead');
    const samples = {};
    const notes = [];
    for (const platform of PLATFORMS) {
      const sides = { nexus: await platform.start(join(root, `${key(platform)}-nexus`), 'nexus') };
      try {
        sides.bare = await platform.start(join(root, `${key(platform)}-bare`), 'bare');
        const measure = async (turns, label) => {
          const conversations = { nexus: sides.nexus.conversation(label), bare: sides.bare.conversation(label) };
          const ms = { nexus: [], bare: [] };
          for (let i = 0; i < turns; i++) {
            for (const side of i % 2 === 0 ? ['nexus', 'bare'] : ['bare', 'nexus']) ms[side].push(await sides[side].reply(conversations[side], `${label} ${i}`));
            await sleep(platform.pauseMs);
          }
          return ms;
        };
        await measure(platform.warmupTurns, 'warm-up');
        const stats = { p50: { nexus: [], bare: [] }, p99: { nexus: [], bare: [] } };
        for (let round = 0; round < runs; round++) {
          const ms = await measure(platform.turnsPerRun, `run${round}`);
          for (const side of ['nexus', 'bare']) {
            stats.p50[side].push(percentile(ms[side], 50));
            stats.p99[side].push(percentile(ms[side], 99));
          }
        }
        for (const stat of ['p50', 'p99']) samples[`channel-turn-overhead-${key(platform)}-${stat}`] = { values: stats[stat].nexus, baselines: stats[stat].bare };
        const added = (stat) => `${stat} ${(median(stats[stat].nexus) - median(stats[stat].bare)).toFixed(2)} ms (${median(stats[stat].nexus).toFixed(2)} vs bare ${median(stats[stat].bare).toFixed(2)})`;
        notes.push(`${platform.name}: added by Nexus ${added('p50')}, ${added('p99')}`);
      } finally {
        for (const side of Object.values(sides)) await side.stop();
      }
    }
    return { ...samples, notes };
  },
};
