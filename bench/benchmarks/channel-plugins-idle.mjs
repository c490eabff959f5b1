// What the three channel plugins cost an operator who does not use them: `nexus serve` with
// Telegram, Slack and Discord installed (they are built in) but no account configured, against
// the same with all three in plugins.deny (never enabled: as if absent). Start-up is spawn until
// the addresses are printed, RSS is read 2 s later; the two alternate, order flipped each round.
// Both should be equal within noise, since a plugin without accounts is never imported. That is
// checked, not assumed: one more start of each, under a module-load probe, must load no module of
// grammy, @slack/* or discord.js's @discordjs/*, and a start with a Telegram account configured
// (on the fake Bot API) must show grammy, proving the probe sees them. Throws otherwise.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median } from '../harness/median.mjs';
import { benchDir } from '../harness/paths.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';
import { startTelegramFake, startTelegramServe } from './channel-telegram.mjs';
import { rssOf, startServe } from './gateway-process.mjs';

const MB = 1024 * 1024;
const IDLE_MS = 2000;
const CHANNELS = ['telegram', 'slack', 'discord'];
const CHANNEL_LIBRARY = /\/node_modules\/(grammy|@grammyjs|@slack|@discordjs|discord-api-types)\//;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const BASE = { server: { grpc_port: 0, http_port: 0 }, logging: { level: 'warn' } };
const DENIED = { ...BASE, plugins: { deny: CHANNELS } };

/** `nodeArgs` that make the child list the modules it loads in `file`. */
const probe = (file) => ['--import', `${pathToFileURL(join(benchDir, 'children', 'module-probe.mjs')).href}?out=${encodeURIComponent(file)}`];
const channelModules = (file) => [...new Set(readFileSync(file, 'utf8').split('\n').filter((line) => CHANNEL_LIBRARY.test(line)))];

async function startAndIdle(dir, config) {
  const started = performance.now();
  const serve = await startServe(dir, config);
  const startMs = performance.now() - started;
  try {
    await sleep(IDLE_MS);
    return { startMs, rss: rssOf(serve.pid) / MB };
  } finally {
    await serve.stop();
  }
}

export default {
  results: [
    {
      name: 'channel-plugins-idle-rss',
      unit: 'MB',
      what: `RSS (MiB) of \`nexus serve\` (default plugins) ${IDLE_MS / 1000} s after it printed its addresses, with the Telegram, Slack and Discord plugins installed and no account configured; baseline: the same with the three in plugins.deny, same runs`,
      target: { on: 'ratio', max: 1.05 },
      whenMissed: 'an unconfigured channel plugin should cost nothing but its manifest: check with the module-load probe of this benchmark (it throws when grammy, @slack/* or @discordjs/* is loaded) and look for a plugin enabled by default or imported by the host.',
    },
    {
      name: 'channel-plugins-start',
      unit: 'ms',
      what: 'spawn of the same `nexus serve` until it printed its addresses, three channel plugins installed and unconfigured; baseline: the same with the three in plugins.deny, same runs',
      target: { on: 'ratio', max: 1.1 },
      whenMissed: 'see channel-plugins-idle-rss: unconfigured, the plugins are only discovered (their manifests read), never imported.',
    },
  ],
  async run({ runs }) {
    const root = makeWorkDir('channel-plugins-idle');
    // A probe of each, and of a configured Telegram account as the control that it works.
    const unconfiguredProbe = join(root, 'modules-unconfigured.txt');
    const deniedProbe = join(root, 'modules-denied.txt');
    const telegramProbe = join(root, 'modules-telegram.txt');
    for (const [file, config] of [[unconfiguredProbe, BASE], [deniedProbe, DENIED]]) {
      const serve = await startServe(join(root, `probe-${file === deniedProbe ? 'denied' : 'unconfigured'}`), config, { nodeArgs: probe(file) });
      await sleep(IDLE_MS);
      await serve.stop();
    }
    const fake = await startTelegramFake();
    try {
      const serve = await startTelegramServe(join(root, 'probe-telegram'), fake, fake.addBot({ username: 'probe_bot' }), { nodeArgs: probe(telegramProbe) });
      await sleep(IDLE_MS);
      await serve.stop();
    } finally {
      await fake.close();
    }
    const loaded = { unconfigured: channelModules(unconfiguredProbe), denied: channelModules(deniedProbe), telegram: channelModules(telegramProbe) };
    if (!loaded.telegram.some((m) => m.includes('/node_modules/grammy/'))) throw new Error(`channel-plugins-idle: the module probe saw no grammy module with a Telegram account configured, so it proves nothing; it saw ${readFileSync(telegramProbe, 'utf8').split('\n').length} modules`);
    for (const side of ['unconfigured', 'denied']) {
      if (loaded[side].length > 0) throw new Error(`channel-plugins-idle: \`nexus serve\` with the channel plugins ${side} loaded ${loaded[side].length} channel library module(s), e.g. ${loaded[side].slice(0, 5).join(', ')}`);
    }

    const rss = { present: [], denied: [] };
    const start = { present: [], denied: [] };
    const variants = { present: BASE, denied: DENIED };
    for (let round = 0; round <= runs; round++) {
      const order = round % 2 === 0 ? ['present', 'denied'] : ['denied', 'present'];
      for (const side of order) {
        // A fresh NEXUS_HOME each time but the first (a warm-up that also fills the file cache).
        const sample = await startAndIdle(join(root, `${side}-${round}`), variants[side]);
        if (round === 0) continue;
        rss[side].push(sample.rss);
        start[side].push(sample.startMs);
      }
    }
    return {
      'channel-plugins-idle-rss': { values: rss.present, baselines: rss.denied },
      'channel-plugins-start': { values: start.present, baselines: start.denied },
      notes: [
        `module probe: unconfigured 0 and denied 0 channel library modules loaded; with a Telegram account configured ${loaded.telegram.length} (grammy among them)`,
        `RSS ${median(rss.present).toFixed(1)} MiB present vs ${median(rss.denied).toFixed(1)} MiB denied; start ${median(start.present).toFixed(0)} ms vs ${median(start.denied).toFixed(0)} ms`,
      ],
    };
  },
};
