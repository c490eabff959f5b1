// Turns per second through `nexus serve` over 64 concurrent NexusGateway.Stream calls, each on its
// own session, with an instant in-process provider: the gateway's whole path per turn (auth,
// session lookup, the pipeline's per-session queue, storing the inbound and outbound messages,
// the agent runtime, chunks and message_complete on the wire) with the model taken out. Once with
// storage-memory (the target) and once with the default SQLite store. The baseline is a bare
// grpc-js server answering the same stream with the same messages at once, driven by the same
// client in the same run. Reported as time per turn (wall time / turns), so that "ratio ≤ 2" is
// "throughput ≥ 0.5× the echo"; the notes give turns per second.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { median } from '../harness/median.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';
import { createSessions, loadClients, openStreams, runConcurrently } from './gateway-client.mjs';
import { instantLlm, startEchoServer, startServe, writeInstantProvider } from './gateway-process.mjs';

const STREAMS = 64;
const TURNS_EACH = 40;
const WARMUP_TURNS_EACH = 10;

const µsPerTurn = (ms) => (ms * 1000) / (STREAMS * TURNS_EACH);
const perSecond = (µs) => `${Math.round(1e6 / µs)} turns/s`;

export default {
  results: [
    {
      name: 'gateway-stream-throughput',
      unit: 'µs',
      what: `wall time per turn over ${STREAMS} concurrent Stream calls (${TURNS_EACH} turns each, one session per stream) against \`nexus serve\` with an instant in-process provider and storage-memory; baseline: a bare grpc-js server answering the same stream with the same messages, same client, same run. Ratio ≤ 2 is throughput ≥ 0.5× the echo`,
      target: { on: 'ratio', max: 2 },
      whenMissed:
        "the echo only writes three messages per turn; `nexus serve` also looks the session up, stores two messages, reads the session's history and turns it into the model's conversation, assembles the system prompt from eleven sections, runs the agent runtime (a bounded event channel, the failover chain and a progress-guarded provider stream) and fires three hooks (the metrics plugin records each turn). On a quiet machine the ratio is about 1.7 (server CPU about 55 µs per turn against the echo's 31); the machine is shared, so a busy run can push it past 2. What is left is spread thin: GC (about 12%, most of it the history conversion's allocations and the stored messages), the same gRPC writes as the echo's, history conversion (about 4%), promise machinery, prompt sections, hooks; turns per second for each side are in the run notes."
    },
    {
      name: 'gateway-stream-throughput-sqlite',
      unit: 'µs',
      what: `the same as gateway-stream-throughput with the default store, SQLite (WAL, synchronous=full: each turn waits for two durable appends); baseline: the same echo server, same run`,
    },
  ],
  async run({ runs }) {
    const root = makeWorkDir('gateway-throughput');
    const plugin = writeInstantProvider(root);
    const clients = await loadClients();
    const config = (storage) => {
      const { llm, plugins } = instantLlm(plugin);
      return { server: { grpc_port: 0, http_port: 0 }, logging: { level: 'warn' }, llm, plugins: { ...plugins, ...(storage && { slots: { storage } }) } };
    };
    const servers = {
      memory: await startServe(join(root, 'memory'), config('storage-memory')),
      sqlite: await startServe(join(root, 'sqlite'), config(undefined)),
      echo: await startEchoServer(),
    };
    try {
      const samples = { memory: [], sqlite: [], echo: [] };
      const order = ['memory', 'sqlite', 'echo'];
      for (let round = 0; round <= runs; round++) {
        // Rotate who goes first, so load drift does not favour one side.
        const rotated = order.map((_, i) => order[(i + round) % order.length]);
        for (const side of rotated) {
          const { target } = servers[side];
          // The echo keeps no sessions; any id will do there.
          const ids = side === 'echo' ? Array.from({ length: STREAMS }, () => randomUUID()) : await createSessions(clients, target, STREAMS, `round-${round}`);
          const streams = openStreams(clients, target, ids);
          try {
            await runConcurrently(streams, STREAMS, WARMUP_TURNS_EACH);
            const ms = await runConcurrently(streams, STREAMS, TURNS_EACH);
            // Round 0 warms up every side (JIT, connections, SQLite pages) and is not kept.
            if (round > 0) samples[side].push(µsPerTurn(ms));
          } finally {
            streams.close();
          }
        }
      }
      const m = (side) => median(samples[side]);
      return {
        'gateway-stream-throughput': { values: samples.memory, baselines: samples.echo },
        'gateway-stream-throughput-sqlite': { values: samples.sqlite, baselines: samples.echo },
        notes: [`medians: storage-memory ${perSecond(m('memory'))}, SQLite ${perSecond(m('sqlite'))}, bare echo ${perSecond(m('echo'))} (${STREAMS} streams)`],
      };
    } finally {
      await Promise.all(Object.values(servers).map((s) => s.stop()));
    }
  },
};
