// What the gateway adds to a turn: the time from writing send_message on a Stream to reading its
// message_complete, minus the provider's own time (the instant provider reports it in its last
// text delta), one turn at a time on one stream against `nexus serve` with default plugins
// (SQLite, synchronous=full: each turn waits for its two messages to be durable). p99 per run,
// median over runs. The baseline is the same client's round trip to the bare echo server, which
// answers the same messages at once: the transport alone. The same is measured with
// storage-memory, in the same rounds, to show how much of it is the disk.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { median } from '../harness/median.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';
import { createSessions, loadClients, openStreams } from './gateway-client.mjs';
import { instantLlm, startEchoServer, startServe, writeInstantProvider } from './gateway-process.mjs';

const TURNS_PER_RUN = 400;
const WARMUP_TURNS = 200;

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/** The provider's own time in ms, from the reply's "…|<µs>" tail (0 for the echo, which has none). */
const providerMs = (complete) => Number(/\|(\d+)$/.exec(complete.message?.content ?? '')?.[1] ?? 0) / 1000;

export default {
  results: [
    {
      name: 'gateway-turn-overhead-p99',
      unit: 'ms',
      what: `p99 over ${TURNS_PER_RUN} sequential turns on one Stream of (send_message → message_complete) minus the instant provider's own time, \`nexus serve\` with default plugins (SQLite, synchronous=full) and one session; baseline: p99 round trip of the same client to a bare grpc-js server answering the same messages`,
      target: { on: 'value', max: 5 },
      whenMissed:
        'the same turns with storage-memory (gateway-turn-overhead-p99-memory) show what is not SQLite. Each turn makes two appends on the event loop (better-sqlite3 is synchronous), each a commit with fsync at synchronous=full, and this shared VM\'s disk and scheduling have a tail of several ms: the echo\'s own p99 is 1.5–4 ms for a round trip whose median is 0.2 ms. Meeting it on a busier machine needs the appends off the event loop (a writer thread).'
    },
    {
      name: 'gateway-turn-overhead-p50',
      unit: 'ms',
      what: 'the median of the same turns, same runs; baseline: the echo round trip median',
    },
    {
      name: 'gateway-turn-overhead-p99-sqlite-normal',
      unit: 'ms',
      what: 'p99 of the same measurement with SQLite at database.synchronous: normal (durable against a crash of Nexus, not of the machine; no fsync per commit, but each WAL checkpoint, every thousand pages, syncs everything at once: a stall of about 10 ms that lands on about one turn in a hundred), same runs; baseline: the echo p99',
    },
    {
      name: 'gateway-turn-overhead-p99-memory',
      unit: 'ms',
      what: 'p99 of the same measurement with storage-memory instead of SQLite (what the durable appends cost is the difference), same runs; baseline: the echo p99',
    },
  ],
  async run({ runs }) {
    const root = makeWorkDir('gateway-overhead');
    const plugin = writeInstantProvider(root);
    const clients = await loadClients();
    const { llm, plugins } = instantLlm(plugin);
    const base = { server: { grpc_port: 0, http_port: 0 }, logging: { level: 'warn' }, llm };
    const servers = {
      sqlite: await startServe(join(root, 'sqlite'), { ...base, plugins }),
      normal: await startServe(join(root, 'sqlite-normal'), { ...base, database: { synchronous: 'normal' }, plugins }),
      memory: await startServe(join(root, 'memory'), { ...base, plugins: { ...plugins, slots: { storage: 'storage-memory' } } }),
      echo: await startEchoServer(),
    };
    try {
      const measure = async (target, ids, turns) => {
        const streams = openStreams(clients, target, ids);
        try {
          const overheads = [];
          for (let i = 0; i < turns; i++) {
            const { ms, complete } = await streams.turn(0);
            overheads.push(ms - providerMs(complete));
          }
          return overheads;
        } finally {
          streams.close();
        }
      };
      // A new session per run, so every run starts from the same point (history loads at most
      // agent.history_limit messages anyway); the echo keeps no sessions.
      const session = async (side, label) => (side === 'echo' ? [randomUUID()] : createSessions(clients, servers[side].target, 1, label));
      const order = ['sqlite', 'normal', 'memory', 'echo'];
      for (const side of order) await measure(servers[side].target, await session(side, 'warm-up'), WARMUP_TURNS);
      const p99 = { sqlite: [], normal: [], memory: [], echo: [] };
      const p50 = { sqlite: [], normal: [], memory: [], echo: [] };
      for (let round = 0; round < runs; round++) {
        for (const side of order.map((_, i) => order[(i + round) % order.length])) {
          const samples = await measure(servers[side].target, await session(side, `run-${round}`), TURNS_PER_RUN);
          p99[side].push(percentile(samples, 99));
          p50[side].push(percentile(samples, 50));
        }
      }
      const ms = (list) => `${median(list).toFixed(2)} ms`;
      return {
        'gateway-turn-overhead-p99': { values: p99.sqlite, baselines: p99.echo },
        'gateway-turn-overhead-p50': { values: p50.sqlite, baselines: p50.echo },
        'gateway-turn-overhead-p99-sqlite-normal': { values: p99.normal, baselines: p99.echo },
        'gateway-turn-overhead-p99-memory': { values: p99.memory, baselines: p99.echo },
        notes: [`p99: SQLite ${ms(p99.sqlite)}, SQLite synchronous=normal ${ms(p99.normal)}, storage-memory ${ms(p99.memory)}, echo ${ms(p99.echo)}; p50: SQLite ${ms(p50.sqlite)}, SQLite synchronous=normal ${ms(p50.normal)}, storage-memory ${ms(p50.memory)}, echo ${ms(p50.echo)}`],
      };
    } finally {
      await Promise.all(Object.values(servers).map((s) => s.stop()));
    }
  },
};
