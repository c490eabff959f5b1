// Hand-written code kept where a well-kept library does the same job, each paired with that
// library in the same run (docs/benchmarks.md, "Libraries kept or replaced"). The rule: replace
// ours with the library unless the library is at least 2x slower on a hot path, so each target
// is ratio ≤ 0.5 (ours at most half the library's time); a miss means ours should go.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Counter, Histogram, Registry } from 'prom-client';
import { v7 } from 'uuid';
import { median } from '../harness/median.mjs';
import { pairedRuns } from '../harness/paired-runs.mjs';
import { distDir, repoRoot } from '../harness/paths.mjs';

const TURN_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];
/** Turns per sample: one turn's metrics take well under a microsecond, too short to time alone. */
const TURNS = 200_000;
/** Ids per sample. */
const IDS = 50_000;

/** The label values turns rotate through: 4 channels, 3 outcomes, 2 models, as a busy gateway sees them. */
const TRAFFIC = Array.from({ length: 24 }, (_, i) => ({
  channel: ['webhook', 'grpc', 'telegram', 'slack'][i % 4],
  outcome: ['done', 'done', 'error'][i % 3],
  model: ['claude', 'gpt'][i % 2],
  seconds: 0.2 + (i % 7),
}));

async function importDist(path) {
  return import(pathToFileURL(join(distDir, path)).href);
}

/** The metrics plugin's path per turn: turns, turn latency and tokens in and out. */
async function ourTurns() {
  const { LabelledCounter } = await importDist('builtin-plugins/metrics/labelled-counter.js');
  const { LabelledHistogram } = await importDist('builtin-plugins/metrics/labelled-histogram.js');
  const registry = new Registry();
  const turns = new LabelledCounter({ name: 'turns_total', help: 'h', labelNames: ['channel', 'outcome'], registry });
  const seconds = new LabelledHistogram({ name: 'turn_seconds', help: 'h', labelNames: ['channel', 'outcome'], buckets: TURN_BUCKETS, registry });
  const tokens = new LabelledCounter({ name: 'tokens_total', help: 'h', labelNames: ['provider', 'model', 'direction'], registry });
  return () => {
    for (let i = 0; i < TURNS; i++) {
      const turn = TRAFFIC[i % TRAFFIC.length];
      turns.inc(1, turn.channel, turn.outcome);
      seconds.observe(turn.seconds, turn.channel, turn.outcome);
      tokens.inc(1200, 'anthropic', turn.model, 'input');
      tokens.inc(300, 'anthropic', turn.model, 'output');
    }
    return registry;
  };
}

/** The same on prom-client's Counter and Histogram, each series' `.labels(...)` child kept and reused. */
function promClientTurns() {
  const registry = new Registry();
  const turns = new Counter({ name: 'turns_total', help: 'h', labelNames: ['channel', 'outcome'], registers: [registry] });
  const seconds = new Histogram({ name: 'turn_seconds', help: 'h', labelNames: ['channel', 'outcome'], buckets: TURN_BUCKETS, registers: [registry] });
  const tokens = new Counter({ name: 'tokens_total', help: 'h', labelNames: ['provider', 'model', 'direction'], registers: [registry] });
  const children = TRAFFIC.map((turn) => ({
    turns: turns.labels(turn.channel, turn.outcome),
    seconds: seconds.labels(turn.channel, turn.outcome),
    input: tokens.labels('anthropic', turn.model, 'input'),
    output: tokens.labels('anthropic', turn.model, 'output'),
  }));
  return () => {
    for (let i = 0; i < TURNS; i++) {
      const turn = TRAFFIC[i % TRAFFIC.length];
      const child = children[i % TRAFFIC.length];
      child.turns.inc();
      child.seconds.observe(turn.seconds);
      child.input.inc(1200);
      child.output.inc(300);
    }
    return registry;
  };
}

/** Nanoseconds per unit of work for one sample. */
function timed(run, units) {
  const started = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - started) / units;
}

async function idPaths() {
  const { UuidV7Generator } = await import(pathToFileURL(join(repoRoot, 'plugin-sdk', 'dist', 'storage', 'index.js')).href);
  const ids = new UuidV7Generator();
  let sink = '';
  return {
    ours: () => {
      for (let i = 0; i < IDS; i++) sink = ids.next();
      return sink;
    },
    library: () => {
      for (let i = 0; i < IDS; i++) sink = v7();
      return sink;
    },
  };
}

export default {
  results: [
    {
      name: 'metrics-turn-vs-prom-client',
      unit: 'ns',
      what: `one turn's metrics (turn count, turn latency histogram, input and output tokens) on the metrics plugin's LabelledCounter/LabelledHistogram, per turn (${TURNS.toLocaleString('en')} turns over 24 label sets per sample); baseline: prom-client's Counter/Histogram with each series' .labels() child kept, same run`,
      target: { on: 'ratio', max: 0.5 },
      libraryChoice:
        'kept: the metrics plugin\'s LabelledCounter, LabelledHistogram and SeriesIndex stay, because prom-client, even with every `.labels()` child kept, still validates and hashes the label object on each `inc`/`observe`, and takes more than twice as long per turn (this row). They export through a prom-client Registry, and a test holds their text to prom-client\'s own, byte for byte.',
      whenMissed: 'prom-client is now less than 2x slower than our counters on the per-turn path: replace LabelledCounter, LabelledHistogram and SeriesIndex with prom-client\'s Counter and Histogram.',
    },
    {
      name: 'uuid-v7-pooled-vs-uuid',
      unit: 'ns',
      what: `one UUIDv7 from the SDK's UuidV7Generator (the uuid package's v7 layout, random bits from a 4 KB pool), per id (${IDS.toLocaleString('en')} per sample); baseline: uuid's own monotonic v7(), which draws its random bits with crypto.getRandomValues per id, same run`,
      libraryChoice:
        'replaced: the SDK\'s UuidV7Generator lays out and formats ids with the uuid package (v7 with its 32-bit counter) and keeps only what uuid cannot: the millisecond and counter per generator (stores take the time from their injected clock) and a pool of random bytes, because uuid\'s own source costs this row\'s baseline per id.',
    },
  ],
  async run({ runs }) {
    const ours = await ourTurns();
    const library = promClientTurns();
    const turns = pairedRuns({ runs, warmup: 2, ours: () => timed(ours, TURNS), baseline: () => timed(library, TURNS) });
    const ids = await idPaths();
    const idRuns = pairedRuns({ runs, warmup: 2, ours: () => timed(ids.ours, IDS), baseline: () => timed(ids.library, IDS) });
    return {
      'metrics-turn-vs-prom-client': turns,
      'uuid-v7-pooled-vs-uuid': idRuns,
      notes: [
        `metrics per turn: ours ${median(turns.values).toFixed(0)} ns, prom-client ${median(turns.baselines).toFixed(0)} ns`,
        `UUIDv7 per id: ours ${median(idRuns.values).toFixed(0)} ns, uuid's v7() ${median(idRuns.baselines).toFixed(0)} ns`,
      ],
    };
  },
};
