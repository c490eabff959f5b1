import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { cliMain, requireFreshBuild } from './build-check.js';
import { onCleanup, tempDir } from './cleanup.js';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** One Nexus installation: a folder with `nexus.yaml` and its NEXUS_HOME (where SQLite lives). */
export interface NexusInstance {
  readonly dir: string;
  readonly home: string;
  readonly configPath: string;
  /** Runs `nexus --config <this config> …args` to completion. */
  cli(args: readonly string[]): Promise<CliRun>;
  /** `nexus auth api-key create --json` for `user`. */
  createApiKey(user: string): Promise<{ readonly id: string; readonly key: string }>;
  /** `nexus auth token --user U --json` (needs `auth.jwt_secret`). */
  issueToken(user: string): Promise<string>;
  /** Starts `nexus serve`; resolves once it printed its addresses. `nodeArgs` go before the CLI (`--import …`). */
  serve(nodeArgs?: readonly string[]): Promise<ServeProcess>;
}

/** A running `nexus serve`. */
export interface ServeProcess {
  readonly pid: number;
  /** `host:port` from the `gRPC` line. */
  readonly target: string;
  /** The URL from the `HTTP` line. */
  readonly httpUrl: string;
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** stderr's JSON log lines (the log format when piped). */
  logs(): readonly LogLine[];
  readonly exited: Promise<Exit>;
  /** Sends SIGTERM and waits for the exit; SIGKILLs and throws after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<Exit>;
}

export interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** Writes `nexus.yaml` (`server.grpc_port` and `http_port` 0 unless given) in a fresh temp dir. */
export function nexusInstance(config: Record<string, unknown>): NexusInstance {
  requireFreshBuild();
  const dir = tempDir();
  const home = join(dir, 'home');
  const configPath = join(dir, 'nexus.yaml');
  writeFileSync(configPath, stringify({ ...config, server: { grpc_port: 0, http_port: 0, ...(config.server as object | undefined) } }));
  const cli = (args: readonly string[]) => runCli(dir, home, ['--config', configPath, ...args]);
  return {
    dir,
    home,
    configPath,
    cli,
    async createApiKey(user) {
      const run = await cli(['auth', 'api-key', 'create', '--name', `key-${user}`, '--user', user, '--json']);
      if (run.code !== 0) throw new Error(`nexus auth api-key create exited ${run.code}: ${run.stderr}`);
      return JSON.parse(run.stdout) as { id: string; key: string };
    },
    async issueToken(user) {
      const run = await cli(['auth', 'token', '--user', user, '--json']);
      if (run.code !== 0) throw new Error(`nexus auth token exited ${run.code}: ${run.stderr}`);
      return (JSON.parse(run.stdout) as { token: string }).token;
    },
    serve: (nodeArgs = []) => startServe(dir, home, configPath, nodeArgs),
  };
}

/** Our environment minus anything that would point the child at another Nexus's state. */
export function childEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('NEXUS_') || key === 'NODE_OPTIONS' || key === 'JWT_SECRET' || key === 'DATABASE_URL') continue;
    env[key] = value;
  }
  return { ...env, NEXUS_HOME: home };
}

function runCli(cwd: string, home: string, args: readonly string[]): Promise<CliRun> {
  const child = spawn(process.execPath, [cliMain, ...args], { cwd, env: childEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const ADDRESS_LINES = /^ {2}gRPC {2}(\S+)\n {2}HTTP {2}(\S+)\n/m;

async function startServe(cwd: string, home: string, configPath: string, nodeArgs: readonly string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [...nodeArgs, cliMain, '--config', configPath, 'serve'], { cwd, env: childEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const running = () => child.exitCode === null && child.signalCode === null;
  // Whatever the test did, the process does not outlive it.
  onCleanup(async () => {
    if (running()) {
      child.kill('SIGKILL');
      await exited;
    }
  });

  const addresses = await waitFor(() => ADDRESS_LINES.exec(stdout) ?? undefined, exited, 20_000, () => `nexus serve printed no addresses\nstdout:\n${stdout}\nstderr:\n${stderr}`);
  return {
    pid: child.pid!,
    target: addresses[1]!,
    httpUrl: addresses[2]!,
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    logs: () =>
      stderr
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as LogLine),
    exited,
    async stop(timeoutMs = 20_000) {
      if (running()) child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
      const result = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (result === 'late') {
        child.kill('SIGKILL');
        throw new Error(`nexus serve did not exit within ${timeoutMs} ms of SIGTERM\nstderr:\n${stderr}`);
      }
      return result;
    },
  };
}

/** Polls `probe` until it returns a value; fails when the process exits first or time runs out. */
async function waitFor<T>(probe: () => T | undefined, exited: Promise<Exit>, timeoutMs: number, describe: () => string): Promise<T> {
  let exit: Exit | undefined;
  void exited.then((e) => (exit = e));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (exit) throw new Error(`exited (${exit.code ?? exit.signal}) before it was ready: ${describe()}`);
    if (Date.now() > deadline) throw new Error(`not ready within ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
