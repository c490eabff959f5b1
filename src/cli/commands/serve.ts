import { readFileSync, statSync } from 'node:fs';
import {
  ConfigFileError,
  defaultHome,
  loadConfigFile,
  KernelStartError,
  readRunning,
  reloadStatusFile,
  removePidFile,
  writeAtomically,
  writePidFile,
  type Kernel,
  type ReloadReport,
} from '../../kernel/index.js';
import { GatewayServerToken, HttpServerToken } from '@nexus/plugin-sdk';
import { CliExit, createKernel, EXIT, loadConfig, type CliIo, type GlobalOptions } from '../cli-context.js';
import { formatDiagnostics } from '../output/index.js';
import { listenForServeSignals } from './serve-signals.js';

/**
 * `nexus serve`: starts the kernel and keeps it running until SIGINT/SIGTERM. SIGHUP (or
 * `nexus config reload`) re-reads the config: a bad file is rejected and the old config keeps
 * running; otherwise only plugins whose slice changed restart.
 */
export async function serveCommand(options: GlobalOptions, io: CliIo): Promise<number> {
  const home = defaultHome(io.env);
  const running = readRunning(home);
  if (running) throw new CliExit(EXIT.problems, `Nexus is already running with pid ${running.pid} (${home}/nexus.pid); stop it first, or use another NEXUS_HOME`);

  const kernel = createKernel(options, io, { hostRequires: SERVE_REQUIRES });
  const signals = listenForServeSignals();
  try {
    const report = await kernel.start();
    const addresses = await listeningAddresses(kernel);
    const http = (await kernel.services.get(HttpServerToken)).address();
    writePidFile(home, { pid: process.pid, config: kernel.config.path ?? null, startedAt: new Date().toISOString(), ...(http ? { http: http.url } : {}) });
    io.stdout(`Nexus is running (pid ${process.pid}); ${report.active.length} plugin(s) started in ${report.durationMs.toFixed(0)} ms.\n`);
    for (const line of addresses) io.stdout(`  ${line}\n`);
    const problems = kernel.list().flatMap((p) => p.diagnostics.filter((d) => d.level === 'error'));
    if (problems.length > 0) io.stderr(`Some plugins are set aside:\n${formatDiagnostics(problems)}`);
  } catch (error) {
    signals.close();
    await kernel.stop('startup failed');
    if (error instanceof ListenError) {
      io.stderr(`nexus: cannot start: ${error.message}\n`);
      return EXIT.problems;
    }
    if (error instanceof KernelStartError) {
      io.stderr(`nexus: cannot start.\n${formatDiagnostics(error.diagnostics)}`);
      return EXIT.problems;
    }
    throw error;
  }

  let reloading = Promise.resolve();
  // A SIGHUP that came during startup is applied now.
  signals.onReload(() => {
    // A reload that fails (even to report) must never take the gateway down or block later ones.
    reloading = reloading
      .then(() => reloadOnce(kernel, options, io, home))
      .catch((error: unknown) => io.stderr(`nexus: reload failed: ${(error as Error).message}; the previous config stays in force\n`));
  });
  const signal = await signals.stopRequested;
  io.stdout(`Received ${signal}; stopping.\n`);
  const problems = await kernel.stop('signal');
  removePidFile(home, process.pid);
  signals.close();
  if (problems.length > 0) io.stderr(formatDiagnostics(problems));
  return EXIT.ok;
}

/**
 * The plugins that make up `serve`: the gRPC API, the HTTP server and whichever plugin holds the
 * database. Each is required: if one cannot start, `serve` does not either, and a reload that would
 * stop one is rejected (or undone). A gateway that accepts nothing is not running.
 */
const SERVE_REQUIRES = { host: 'nexus serve', plugins: ['gateway', 'http'], slots: ['storage'] } as const;

class ListenError extends Error {}

/**
 * What the servers listen on, once they have opened. The gateway opens only once startup is
 * complete, so it can still fail here (port taken, bind policy, pending migrations): that fails
 * `serve` too.
 */
async function listeningAddresses(kernel: Kernel): Promise<string[]> {
  const gateway = await kernel.services.get(GatewayServerToken);
  const address = await gateway.opened().catch((error: unknown) => {
    throw new ListenError(`the gateway did not open: ${(error as Error).message}`);
  });
  const http = (await kernel.services.get(HttpServerToken)).address();
  if (!http) throw new ListenError('the HTTP server is not listening');
  return [`gRPC  ${hostPort(address.host, address.port)}`, `HTTP  ${http.url}`];
}

function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

async function reloadOnce(kernel: Kernel, options: GlobalOptions, io: CliIo, home: string): Promise<void> {
  let report: ReloadReport;
  try {
    // The file the gateway started with, read afresh; switching profiles takes a restart.
    const source = kernel.config.source;
    const next = source?.path ? loadConfigFile(source.path, { env: io.env, source }) : loadConfig(options, io);
    report = await kernel.reconfigure(next);
  } catch (error) {
    const diagnostics = error instanceof ConfigFileError ? error.diagnostics : [{ level: 'error' as const, code: 'config.reload-failed', message: (error as Error).message }];
    report = { applied: false, restarted: [], stopped: [], started: [], diagnostics };
  }
  // Private: the report quotes config problems, and the config may hold secrets.
  writeAtomically(reloadStatusFile(home), JSON.stringify({ at: new Date().toISOString(), ...report }), 0o600);
  if (report.applied) {
    io.stdout(`Config reloaded: restarted [${report.restarted.join(', ')}], stopped [${report.stopped.join(', ')}], started [${report.started.join(', ')}].\n`);
    const errors = report.diagnostics.filter((d) => d.level === 'error');
    if (errors.length > 0) io.stderr(`Problems in the reloaded config:\n${formatDiagnostics(errors)}`);
  } else {
    io.stderr(`Config reload rejected; the previous config stays in force:\n${formatDiagnostics(report.diagnostics)}`);
  }
}

/**
 * `nexus config reload`: signals the running gateway (found through its pid file) and waits for
 * its report. Exit 1 when the new config was rejected or nothing answers.
 */
export async function configReloadCommand(io: CliIo, options: { readonly timeoutMs?: number } = {}): Promise<number> {
  const home = defaultHome(io.env);
  const running = readRunning(home);
  if (!running) throw new CliExit(EXIT.problems, `no running Nexus found (no live pid in ${home}/nexus.pid); start it with \`nexus serve\``);
  const statusFile = reloadStatusFile(home);
  const before = statSync(statusFile, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  process.kill(running.pid, 'SIGHUP');
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stats = statSync(statusFile, { throwIfNoEntry: false });
    if (!stats || stats.mtimeMs <= before) continue;
    const report = JSON.parse(readFileSync(statusFile, 'utf8')) as ReloadReport;
    if (report.applied) {
      io.stdout(`Reloaded pid ${running.pid}: restarted [${report.restarted.join(', ')}], stopped [${report.stopped.join(', ')}], started [${report.started.join(', ')}].\n`);
      const errors = report.diagnostics.filter((d) => d.level === 'error');
      if (errors.length === 0) return EXIT.ok;
      io.stderr(`Applied, with problems (plugins that could not come back stay stopped):\n${formatDiagnostics(errors)}`);
      return EXIT.problems;
    }
    io.stderr(`Reload rejected by pid ${running.pid}; the previous config stays in force:\n${formatDiagnostics(report.diagnostics)}`);
    return EXIT.problems;
  }
  throw new CliExit(EXIT.problems, `pid ${running.pid} did not report a reload within ${options.timeoutMs ?? 15_000} ms`);
}
