// One MCP tool call through the bridge (the tool source the agent calls: name lookup, argument
// mapping, request_timeout, error translation, result mapping) against the same call made with the
// bare SDK Client, to the same server in the same run. Two variants: an in-process streamable-HTTP
// server on 127.0.0.1, and a stdio child process (each side spawns its own copy of the same server
// program; both lead a session of their own, see below).
//
// A call is a round trip of about a tenth of a millisecond, so what a sample sees is mostly how
// soon the kernel wakes the other process. Timing batches of one side and then of the other (as
// this benchmark first did) made that scheduling state part of the comparison: on a loaded machine
// the same build measured anywhere from 0.6x to 3.9x. So the two sides take turns call by call
// (the order flipping each time), every call is timed on its own, and a run's figure is the
// median call: a call that was preempted is an outlier on either side and does not move it.
//
// The bridge must start a stdio server as the leader of its own process group, so that stop,
// reload and a crash can end the whole group (Node offers that only as `detached`, i.e. setsid).
// With the kernel's autogroup scheduling a new session is a scheduling group of its own, and a
// loaded machine wakes a process in another group more slowly: the bare SDK client measured
// 1.16-1.19x slower against a setsid server than against a plain child, the same code on both
// sides. That is where the server runs, not what the bridge does, so the baseline's server is
// started under setsid(1) as well where the machine has it.
import { Buffer } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { median } from '../harness/median.mjs';
import { benchDir, distDir } from '../harness/paths.mjs';

/** Calls per side and run; each run's figure is the median of them. */
const CALLS = 200;
/** Calls per batch in the CPU comparison (CPU time is read per batch, not per call). */
const CPU_BATCH = 1000;
const WARMUP_RUNS = 2;
const echoServerScript = join(benchDir, 'children', 'mcp-echo-server.mjs');
const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, child: () => quietLogger };

async function startHttpServer() {
  const { createEchoServer } = await import(pathToFileURL(echoServerScript).href);
  const sessions = new Map();
  const http = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (!transport) {
      transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => sessions.set(sid, transport) });
      await createEchoServer().connect(transport);
    }
    await transport.handleRequest(req, res, body);
  });
  http.keepAliveTimeout = 60_000;
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  return {
    url: `http://127.0.0.1:${http.address().port}/mcp`,
    close: async () => {
      for (const transport of sessions.values()) await transport.close();
      http.closeAllConnections();
      http.close();
    },
  };
}

async function bridgePath(entry) {
  const { readMcpSettings, ConnectionManager, McpToolSource } = await import(pathToFileURL(join(distDir, 'builtin-plugins/mcp/engine.js')).href);
  const { servers, problems } = readMcpSettings({ servers: { bench: entry } });
  if (problems.length > 0) throw new Error(`mcp-bridge-call: bad settings: ${problems.map((p) => p.message).join('; ')}`);
  const manager = new ConnectionManager({ servers, logger: quietLogger });
  manager.start();
  const source = new McpToolSource(manager, { logger: quietLogger });
  const names = (await source.list()).map((tool) => tool.name);
  if (!names.includes('mcp_bench_echo')) throw new Error(`mcp-bridge-call: the bridge did not connect: ${JSON.stringify(source.status())}`);
  return {
    call: async (text) => (await source.call('mcp_bench_echo', { text })).content,
    close: () => manager.stop(),
  };
}

async function barePath(transport) {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(transport);
  return {
    call: async (text) => (await client.callTool({ name: 'echo', arguments: { text } })).content[0].text,
    close: () => client.close(),
  };
}

/** The bare client's stdio server, placed as the bridge places its own: leading a new session. */
function bareStdioTransport() {
  const server = [process.execPath, echoServerScript, 'stdio'];
  const setsid = spawnSync('setsid', ['true']).status === 0;
  const [command, ...args] = setsid ? ['setsid', ...server] : server;
  return { transport: new StdioClientTransport({ command, args, stderr: 'ignore' }), setsid };
}

/** One call, checked, in microseconds. */
async function timedCall(side, text) {
  const started = performance.now();
  const answer = await side.call(text);
  const elapsed = (performance.now() - started) * 1000;
  if (answer !== text) throw new Error(`mcp-bridge-call: expected ${JSON.stringify(text)}, got ${JSON.stringify(answer)}`);
  return elapsed;
}

/** Per run: both sides' median call, the sides alternating call by call. */
async function paired(ours, bare, runs) {
  const values = [];
  const baselines = [];
  for (let run = 0; run < WARMUP_RUNS + runs; run++) {
    const our = [];
    const base = [];
    for (let i = 0; i < CALLS; i++) {
      const text = `call ${run}.${i}`;
      if (i % 2 === 0) {
        our.push(await timedCall(ours, text));
        base.push(await timedCall(bare, text));
      } else {
        base.push(await timedCall(bare, text));
        our.push(await timedCall(ours, text));
      }
    }
    if (run < WARMUP_RUNS) continue;
    values.push(median(our));
    baselines.push(median(base));
  }
  return { values, baselines };
}

/** The calling process's CPU time (user + system) in microseconds. */
function cpuMicros() {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * Per run: the CPU time this process spends per call on each side, over a batch of calls each
 * (the sides alternate batch by batch, the order flipping every run). Time spent waiting for the
 * server is not CPU time, so this does not depend on how soon the kernel wakes either process.
 */
async function pairedCpu(ours, bare, runs) {
  const values = [];
  const baselines = [];
  const batch = async (side, run) => {
    const started = cpuMicros();
    for (let i = 0; i < CPU_BATCH; i++) await timedCall(side, `cpu ${run}.${i}`);
    return (cpuMicros() - started) / CPU_BATCH;
  };
  for (let run = 0; run < WARMUP_RUNS + runs; run++) {
    let our;
    let base;
    if (run % 2 === 0) {
      our = await batch(ours, run);
      base = await batch(bare, run);
    } else {
      base = await batch(bare, run);
      our = await batch(ours, run);
    }
    if (run < WARMUP_RUNS) continue;
    values.push(our);
    baselines.push(base);
  }
  return { values, baselines };
}

const what = (transport) =>
  `one MCP tool call (echo) through the bridge's tool source over ${transport}: the median call of ${CALLS}, the two sides taking turns call by call, median over runs; baseline: the bare SDK Client calling the same server, same run`;

const benchmark = {
  results: [
    { name: 'mcp-bridge-call-http', unit: 'µs', what: what('streamable HTTP to an in-process McpServer on 127.0.0.1'), target: { on: 'ratio', max: 1.2 } },
    { name: 'mcp-bridge-call-stdio', unit: 'µs', what: what('stdio to a child process running the same server program, each side\'s copy leading its own session (the bridge\'s as a process group it can end whole, the baseline\'s under setsid)'), target: { on: 'ratio', max: 1.2 } },
    {
      name: 'mcp-bridge-call-stdio-cpu',
      unit: 'µs',
      what: `CPU time (user + system) of the calling process per stdio call through the bridge, over batches of ${CPU_BATCH} alternating with the bare SDK client's, median over runs; baseline: the bare SDK Client's CPU time per call. Waiting for the server is not counted, so on a loaded machine this is the steadier measure of what the bridge itself adds`,
    },
  ],
  async run({ runs }) {
    const server = await startHttpServer();
    const sides = [];
    try {
      const httpOurs = await bridgePath({ url: server.url });
      sides.push(httpOurs);
      const httpBare = await barePath(new StreamableHTTPClientTransport(new URL(server.url)));
      sides.push(httpBare);
      const http = await paired(httpOurs, httpBare, runs);

      const stdioOurs = await bridgePath({ command: process.execPath, args: [echoServerScript, 'stdio'] });
      sides.push(stdioOurs);
      const { transport, setsid } = bareStdioTransport();
      const stdioBare = await barePath(transport);
      sides.push(stdioBare);
      const stdio = await paired(stdioOurs, stdioBare, runs);
      const cpu = await pairedCpu(stdioOurs, stdioBare, runs);
      return {
        'mcp-bridge-call-http': http,
        'mcp-bridge-call-stdio': stdio,
        'mcp-bridge-call-stdio-cpu': cpu,
        notes: [
          `http: bridge ${median(http.values).toFixed(0)} µs, bare SDK ${median(http.baselines).toFixed(0)} µs per call`,
          `stdio: bridge ${median(stdio.values).toFixed(0)} µs, bare SDK ${median(stdio.baselines).toFixed(0)} µs per call`,
          `stdio CPU of the calling process: bridge ${median(cpu.values).toFixed(1)} µs, bare SDK ${median(cpu.baselines).toFixed(1)} µs per call`,
          ...(setsid ? [] : ['no setsid(1) on this machine: the bare client\'s stdio server shares the benchmark\'s session, the bridge\'s does not']),
        ],
      };
    } finally {
      for (const side of sides) await side.close();
      await server.close();
    }
  },
};
export default benchmark;

// `node bench/benchmarks/mcp-bridge-call.mjs` runs it alone and prints the numbers (dist/ must be built).
if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const runs = Number(process.env.BENCH_RUNS ?? 7);
  const result = await benchmark.run({ runs });
  for (const name of ['mcp-bridge-call-http', 'mcp-bridge-call-stdio', 'mcp-bridge-call-stdio-cpu']) {
    const { values, baselines } = result[name];
    const value = median(values);
    const baseline = median(baselines);
    console.log(`${name}: ${value.toFixed(0)} µs vs ${baseline.toFixed(0)} µs bare → ratio ${(value / baseline).toFixed(2)}`);
  }
}
