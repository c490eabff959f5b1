import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMcpSettings, type McpServerSettings } from '../../../src/builtin-plugins/mcp/config/index.js';
import { ConnectionManager, type BackoffSettings, type ConnectionManagerOptions } from '../../../src/builtin-plugins/mcp/connections/index.js';
import { MemoryLogger } from '../../../src/kernel/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** server-everything's entry, run with this very node: offline, no npx. */
export const everythingEntry = join(dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist/index.js');
export const fixtureServer = join(here, 'fixtures/fixture-stdio-server.mjs');

/** Fast retries, so reconnection tests take milliseconds; jitter fixed at its midpoint. */
export const fastBackoff: BackoffSettings = { initialDelayMs: 20, maxDelayMs: 200, stableAfterMs: 60_000 };

/** Settings through the real reader, so tests exercise what configuration produces. */
export function serverSettings(id: string, entry: Record<string, unknown>): McpServerSettings {
  const read = readMcpSettings({ servers: { [id]: entry } });
  const errors = read.problems.filter((p) => p.level === 'error');
  if (errors.length > 0 || read.servers.length !== 1) throw new Error(`bad test settings: ${errors.map((e) => `${e.source?.pointer}: ${e.message}`).join('; ')}`);
  return read.servers[0]!;
}

export function stdioFixture(id: string, extra: Record<string, unknown> = {}): McpServerSettings {
  return serverSettings(id, { command: process.execPath, args: [fixtureServer], connect_timeout: '20s', request_timeout: '10s', ...extra });
}

export function everything(id: string, extra: Record<string, unknown> = {}): McpServerSettings {
  return serverSettings(id, { command: process.execPath, args: [everythingEntry, 'stdio'], connect_timeout: '20s', request_timeout: '10s', ...extra });
}

export function managerFor(servers: readonly McpServerSettings[], options: Partial<ConnectionManagerOptions> = {}): { manager: ConnectionManager; logger: MemoryLogger } {
  const logger = new MemoryLogger();
  const manager = new ConnectionManager({ servers, logger, backoff: fastBackoff, random: () => 0.5, ...options });
  return { manager, logger };
}

/** Polls until `check` holds; fails with `what` if it never does. Not a timing assertion. */
export async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A zombie counts as gone: it has exited and only waits for its parent to reap it. */
export async function isRunning(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  try {
    const { readFile } = await import('node:fs/promises');
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Time that moves only when the test says so. */
export class ManualTimers {
  private time = 1_000_000;
  private pending: { at: number; callback: () => void; handle: object }[] = [];

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): object {
    const handle = {};
    this.pending.push({ at: this.time + ms, callback, handle });
    return handle;
  }

  clearTimeout(handle: object): void {
    this.pending = this.pending.filter((entry) => entry.handle !== handle);
  }

  /** Moves the clock forward, running what falls due in order. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const next = this.pending.filter((entry) => entry.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.pending = this.pending.filter((entry) => entry !== next);
      this.time = next.at;
      next.callback();
    }
    this.time = until;
  }

  /** Milliseconds until the earliest pending timer. */
  nextDelay(): number | undefined {
    const at = Math.min(...this.pending.map((entry) => entry.at));
    return Number.isFinite(at) ? at - this.time : undefined;
  }
}

/** A port nothing listens on (for now). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
