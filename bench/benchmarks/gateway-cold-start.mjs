// Cold start to SERVING: from spawning `node dist/cli/main.js serve` (default plugins: SQLite,
// the HTTP server, the agent runtime on demand) until the standard grpc.health.v1 check on its
// gRPC port answers SERVING, polled the way a load balancer would. The baseline is a bare grpc-js
// server with only the standard health service, started and polled the same way in the same run.
// Each run is a fresh process; NEXUS_HOME is kept across runs (the database exists, as on any
// restart; the discarded warm-up run creates it).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentials, makeGenericClientConstructor } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { childEnv } from '../harness/child-env.mjs';
import { benchDir, cliMain } from '../harness/paths.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';
import { freePort, waitForListening } from './gateway-process.mjs';

const Health = makeGenericClientConstructor(healthService, 'Health');

/** Polls the standard health check on `port` until it says SERVING; connection refusals are retried. */
async function untilServing(port, deadlineMs = 30_000) {
  const deadline = performance.now() + deadlineMs;
  await waitForListening(port, { timeoutMs: deadlineMs });
  const client = new Health(`127.0.0.1:${port}`, credentials.createInsecure());
  try {
    for (;;) {
      const status = await new Promise((resolve) =>
        client.check({ service: '' }, { deadline: Date.now() + 1000 }, (error, response) => resolve(error ? `error ${error.code}` : response.status)),
      );
      if (status === 'SERVING') return;
      if (performance.now() > deadline) throw new Error(`port ${port} never reported SERVING (last: ${status})`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    client.close();
  }
}

/** Spawns `args`, times spawn → SERVING on `port`, then stops the process (not timed). */
async function timeToServing(args, port, env) {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-10_000)));
  const exited = once(child, 'exit');
  try {
    await Promise.race([untilServing(port), exited.then(([code]) => Promise.reject(new Error(`${args.join(' ')} exited with ${code} before SERVING\n${stderr}`)))]);
    return performance.now() - started;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export default {
  results: [
    {
      name: 'gateway-cold-start',
      unit: 'ms',
      what: 'spawn of `nexus serve` (default plugins, existing NEXUS_HOME) until the standard health check on its gRPC port answers SERVING; baseline: a bare grpc-js server with the standard health service, spawned and polled the same way',
      target: { on: 'ratio', max: 1.5 },
      whenMissed:
        'a bare grpc-js server with grpc-health-check is node plus two packages (about 0.3 s here). `nexus serve` loads the bundled host (dist/: the CLI, kernel, inversify, kysely, jose, the generated protobuf code and the default plugins, in a few files), grpc-js, better-sqlite3 and yaml, then discovers the manifests, reads the config, opens SQLite and checks its migrations. It does not load grpc-health-check (the standard health service is served with generated types) nor @grpc/reflection (loaded on the first reflection call), which the bare server pays for. OpenClaw took about 13 s on this machine.',
    },
  ],
  async run({ runs }) {
    const root = makeWorkDir('gateway-cold-start');
    const home = join(root, 'home');
    mkdirSync(home);
    const port = await freePort();
    const configPath = join(root, 'nexus.yaml');
    writeFileSync(configPath, JSON.stringify({ server: { grpc_port: port, http_port: 0 } }));
    const ours = () => timeToServing([cliMain, '--config', configPath, 'serve'], port, childEnv({ NEXUS_HOME: home }));
    const bare = () => timeToServing([join(benchDir, 'benchmarks', 'gateway-health-server.mjs'), String(port)], port, childEnv());
    const values = [];
    const baselines = [];
    for (let round = 0; round <= runs; round++) {
      // Alternate which goes first; round 0 is a warm-up (it also creates the database).
      const [first, second] = round % 2 === 0 ? [ours, bare] : [bare, ours];
      const a = await first();
      const b = await second();
      if (round === 0) continue;
      values.push(round % 2 === 0 ? a : b);
      baselines.push(round % 2 === 0 ? b : a);
    }
    return { 'gateway-cold-start': { values, baselines } };
  },
};
