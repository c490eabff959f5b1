import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { sleep, type Timers } from './timers.js';

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface GroupSpawnOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly timers: Timers;
}

/** How long a group gets after SIGTERM before SIGKILL, and how often it is checked meanwhile. */
export const KILL_GRACE_MS = 2000;
/** How long a server gets to exit on its own once its stdin is closed, before SIGTERM. */
export const STDIN_GRACE_MS = 500;
const POLL_MS = 50;
const isWindows = process.platform === 'win32';

/**
 * A child process that leads its own process group (`detached: true`, so setsid on POSIX), with
 * everything it starts (npx → node → server) in that group. Ending it ends the whole group:
 * SIGTERM, then SIGKILL for whatever is left after the grace period, so no grandchild outlives
 * it. If Nexus itself is SIGKILLed, nothing here runs; then the child's stdin closes, and MCP
 * servers exit on that (checked against server-everything in the tests).
 */
export class ProcessGroup {
  readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  readonly exited: Promise<ExitInfo>;
  private exit: ExitInfo | undefined;
  private ending: Promise<void> | undefined;

  private constructor(child: ChildProcessByStdio<Writable, Readable, Readable>, private readonly timers: Timers) {
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  /** Resolves once the process is running; rejects when it cannot start (command not found). */
  static start(options: GroupSpawnOptions): Promise<ProcessGroup> {
    const child = spawn(options.command, [...options.args], {
      env: { ...options.env },
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: !isWindows,
      windowsHide: true,
      shell: false,
    });
    const group = new ProcessGroup(child, options.timers);
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('spawn', () => {
        child.off('error', reject);
        // Later errors (EPIPE on a dead child) surface through exit and the transport.
        child.on('error', () => undefined);
        resolve(group);
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get exitInfo(): ExitInfo | undefined {
    return this.exit;
  }

  /** Whether any process of the group is still alive (the leader may be gone, its children not). */
  alive(): boolean {
    if (isWindows) return this.exit === undefined;
    try {
      process.kill(-this.pid, 0);
      return true;
    } catch (error) {
      // EPERM: it exists but is not ours to signal; count it as alive.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  /**
   * Ends every process of the group: stdin closed (an MCP server's cue to exit), then SIGTERM,
   * then SIGKILL after `graceMs` for what is left. Safe to call repeatedly and after the leader
   * exited (a crash leaves grandchildren behind).
   */
  end(graceMs = KILL_GRACE_MS): Promise<void> {
    this.ending ??= this.terminate(graceMs);
    return this.ending;
  }

  private async terminate(graceMs: number): Promise<void> {
    this.child.stdin.end();
    await this.waitUntilGone(this.exit === undefined ? STDIN_GRACE_MS : 0);
    if (this.alive()) this.signal('SIGTERM');
    await this.waitUntilGone(graceMs);
    if (this.alive()) this.signal('SIGKILL');
    // The leader's exit event follows its SIGKILL promptly; wait so callers see a settled state.
    if (this.exit === undefined) await this.exited;
  }

  private async waitUntilGone(ms: number): Promise<void> {
    for (let waited = 0; waited < ms && this.alive(); waited += POLL_MS) await sleep(this.timers, POLL_MS);
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      if (isWindows) this.child.kill(signal);
      else process.kill(-this.pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }
}
