// What the gateway benchmarks share: a `nexus serve` child (built CLI, its own NEXUS_HOME and
// config), an instant in-process provider plugin, the bare grpc-js servers they are compared
// with, free ports, and a child's resident memory. Not a benchmark itself (index.mjs lists those).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { childEnv } from '../harness/child-env.mjs';
import { benchDir, cliMain } from '../harness/paths.mjs';

const INSTANT_MANIFEST = {
  id: 'instant-llm',
  name: 'Instant LLM (benchmark)',
  version: '1.0.0',
  main: './index.mjs',
  contributes: { providers: [{ name: 'instant', description: 'Answers every call at once.' }] },
};

// Answers "ok" at once. Its last text delta says how long the provider itself took (µs, from the
// call to that point), so a client can take the provider's own time out of a turn's time.
const INSTANT_ENTRY = `import { definePlugin, LlmProviders } from '@nexus/plugin-sdk';
const factory = {
  defaultModel: 'instant-1',
  create: (entry) => ({
    id: entry.id,
    defaultModel: entry.defaultModel ?? 'instant-1',
    async *stream() {
      const started = performance.now();
      yield { type: 'text_delta', text: 'ok' };
      yield { type: 'usage', usage: { inputTokens: 1, outputTokens: 1 } };
      yield { type: 'text_delta', text: '|' + Math.round((performance.now() - started) * 1000) };
      yield { type: 'done', stopReason: 'end_turn' };
    },
  }),
};
export default definePlugin({ register(ctx) { ctx.contribute(LlmProviders, 'instant').toConstantValue(factory); } });
`;

/** Writes the instant provider plugin under `root` and returns its folder. */
export function writeInstantProvider(root) {
  const dir = join(root, 'instant-llm');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'nexus.plugin.json'), JSON.stringify(INSTANT_MANIFEST));
  writeFileSync(join(dir, 'index.mjs'), INSTANT_ENTRY);
  return dir;
}

/** Config sections that make the instant provider the model. */
export function instantLlm(pluginDir) {
  return {
    llm: { default_provider: 'instant', providers: { instant: { default_model: 'instant-1' } } },
    plugins: { load: { paths: [pluginDir] } },
  };
}

/** A loopback port nothing listens on right now. */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Resident memory of a live process, from /proc (Linux), in bytes. */
export function rssOf(pid) {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * Starts `nexus serve` with `config` (JSON, which YAML reads) in `dir`, NEXUS_HOME `dir/home`.
 * Resolves with its gRPC target once it printed its addresses (within `readyTimeoutMs`); logs go to `dir/serve.log`.
 * `nodeArgs` go to node before the CLI (a `--import` probe, say).
 */
export async function startServe(dir, config, { readyTimeoutMs = 30_000, nodeArgs = [] } = {}) {
  mkdirSync(dir, { recursive: true });
  const configPath = join(dir, 'nexus.yaml');
  writeFileSync(configPath, JSON.stringify(config));
  const log = join(dir, 'serve.log');
  const child = spawn(process.execPath, [...nodeArgs, cliMain, '--config', configPath, 'serve'], {
    cwd: dir,
    env: childEnv({ NEXUS_HOME: join(dir, 'home') }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  // Drained (a full pipe would block the server), kept only for a failure report.
  child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-20_000)));
  const target = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nexus serve printed no address within ${readyTimeoutMs / 1000} s\n${stdout}\n${stderr}`)), readyTimeoutMs);
    const check = () => {
      const match = /^ {2}gRPC {2}(\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', check);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', check);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`nexus serve exited (${code ?? signal}) before it was ready\n${stdout}\n${stderr}`));
    });
  });
  return {
    target,
    pid: child.pid,
    /** The log lines so far (the last 20 kB). */
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      const exit = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('late'), 20_000))]);
      if (exit === 'late') {
        child.kill('SIGKILL');
        throw new Error(`nexus serve did not stop within 20 s of SIGTERM\n${stderr}`);
      }
      writeFileSync(log, stderr);
      if (exit.code !== 0) throw new Error(`nexus serve exited with ${exit.code ?? exit.signal}\n${stderr}`);
    },
  };
}

/** The bare grpc-js echo server speaking NexusGateway.Stream (gateway-echo-server.mjs), on a free port. */
export async function startEchoServer() {
  const child = spawn(process.execPath, [join(benchDir, 'benchmarks', 'gateway-echo-server.mjs')], { env: childEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await once(child.stdout, 'data');
  const port = Number(String(line).trim());
  if (!Number.isInteger(port)) throw new Error(`the echo server said ${line}`);
  return {
    target: `127.0.0.1:${port}`,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/** Resolves once something accepts TCP connections on 127.0.0.1:port, polling every `everyMs`. */
export async function waitForListening(port, { everyMs = 2, timeoutMs = 30_000 } = {}) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const open = await new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (performance.now() > deadline) throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
