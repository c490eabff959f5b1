// What the gateway adds to a turn: the time from writing send_message on a Stream to reading its
// message_complete, minus the provider's own time (the instant provider reports it in its last
// text delta), one turn at a time on one stream against `nexus serve` with default plugins
// (SQLite, synchronous=full: each turn waits for its two messages to be durable). p99 per run,
// median over runs. The baseline is the same client's round trip to the bare echo server, which
// answers the same messages at once: the transport alone.
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
    },
    {
      name: 'gateway-turn-overhead-p50',
      unit: 'ms',
      what: 'the median of the same turns, same runs; baseline: the echo round trip median',
    },
  ],
  async run({ runs }) {
    const root = makeWorkDir('gateway-overhead');
    const plugin = writeInstantProvider(root);
    const clients = await loadClients();
    const serve = await startServe(join(root, 'serve'), { server: { grpc_port: 0, http_port: 0 }, logging: { level: 'warn' }, ...instantLlm(plugin) });
    const echo = await startEchoServer();
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
      const ours = await createSessions(clients, serve.target, 1, 'overhead');
      const theirs = [randomUUID()];
      await measure(serve.target, ours, WARMUP_TURNS);
      await measure(echo.target, theirs, WARMUP_TURNS);
      const p99 = { values: [], baselines: [] };
      const p50 = { values: [], baselines: [] };
      for (let round = 0; round < runs; round++) {
        // A new session per run, so every run starts from the same point (history loads at most agent.history_limit).
        const session = await createSessions(clients, serve.target, 1, `overhead-${round}`);
        const sides = round % 2 === 0 ? ['ours', 'echo'] : ['echo', 'ours'];
        for (const side of sides) {
          const samples = side === 'ours' ? await measure(serve.target, session, TURNS_PER_RUN) : await measure(echo.target, theirs, TURNS_PER_RUN);
          (side === 'ours' ? p99.values : p99.baselines).push(percentile(samples, 99));
          (side === 'ours' ? p50.values : p50.baselines).push(percentile(samples, 50));
        }
      }
      return {
        'gateway-turn-overhead-p99': p99,
        'gateway-turn-overhead-p50': p50,
        notes: [`p99 ${median(p99.values).toFixed(2)} ms (echo ${median(p99.baselines).toFixed(2)} ms), p50 ${median(p50.values).toFixed(2)} ms (echo ${median(p50.baselines).toFixed(2)} ms)`],
      };
    } finally {
      await Promise.all([serve.stop(), echo.stop()]);
    }
  },
};
