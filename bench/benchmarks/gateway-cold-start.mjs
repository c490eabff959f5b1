// Cold start to SERVING: from spawning `node dist/cli/main.js serve` (default plugins: SQLite,
// the HTTP server, the agent runtime on demand) until the standard grpc.health.v1 check on its
// gRPC port answers SERVING, polled the way a load balancer would. The baseline is a bare grpc-js
// server with only the standard health service, started and polled the same way in the same run.
// Each run is a fresh process; NEXUS_HOME is kept across runs (the database exists, as on any
// restart; the discarded warm-up run creates it). A third variant, in the same rounds, has five
// lazy MCP servers configured (the mcp plugin activates at start-up, but neither loads the MCP SDK
// nor spawns a server until a turn lists tools).
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
    {
      name: 'gateway-cold-start-mcp-lazy',
      unit: 'ms',
      what: 'the same spawn-to-SERVING of `nexus serve` with five MCP servers under mcp.servers, all start: lazy (the mcp plugin activates at start-up without loading the MCP SDK; no server is spawned until a turn lists tools); baseline: the bare grpc-js health server, same run',
      target: { on: 'ratio', max: 1.5 },
      whenMissed: 'see gateway-cold-start: the bare server is node plus two packages. What the five lazy servers add is the mcp plugin\'s light entry (settings, facades) and five settings read; the MCP SDK is loaded on first need. Compare with gateway-cold-start of the same run.',
    },
  ],
  async run({ runs }) {
    const root = makeWorkDir('gateway-cold-start');
    const home = join(root, 'home');
    mkdirSync(home);
    const port = await freePort();
    const configPath = join(root, 'nexus.yaml');
    writeFileSync(configPath, JSON.stringify({ server: { grpc_port: port, http_port: 0 } }));
    const mcpHome = join(root, 'home-mcp');
    mkdirSync(mcpHome);
    const mcpConfigPath = join(root, 'nexus-mcp.yaml');
    const echoServer = join(benchDir, 'children', 'mcp-echo-server.mjs');
    const servers = Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`lazy${n}`, { command: process.execPath, args: [echoServer, 'stdio'], start: 'lazy' }]));
    writeFileSync(mcpConfigPath, JSON.stringify({ server: { grpc_port: port, http_port: 0 }, mcp: { servers } }));
    const ours = () => timeToServing([cliMain, '--config', configPath, 'serve'], port, childEnv({ NEXUS_HOME: home }));
    const withMcp = () => timeToServing([cliMain, '--config', mcpConfigPath, 'serve'], port, childEnv({ NEXUS_HOME: mcpHome }));
    const bare = () => timeToServing([join(benchDir, 'benchmarks', 'gateway-health-server.mjs'), String(port)], port, childEnv());
    const values = [];
    const mcpValues = [];
    const baselines = [];
    for (let round = 0; round <= runs; round++) {
      // Rotate which goes first; round 0 is a warm-up (it also creates the databases).
      const order = [ours, withMcp, bare];
      for (let k = 0; k < round % 3; k++) order.push(order.shift());
      const timed = new Map();
      for (const variant of order) timed.set(variant, await variant());
      if (round === 0) continue;
      values.push(timed.get(ours));
      mcpValues.push(timed.get(withMcp));
      baselines.push(timed.get(bare));
    }
    return { 'gateway-cold-start': { values, baselines }, 'gateway-cold-start-mcp-lazy': { values: mcpValues, baselines } };
  },
};
