import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the service manager's tools (systemctl, launchctl, loginctl, journalctl), found on the
 * caller's PATH, so tests can put recording fakes first on it.
 */
export class SystemRunner {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** The tool's absolute path, or undefined when it is not on PATH. */
  which(tool: string): string | undefined {
    for (const dir of (this.env.PATH ?? '').split(delimiter)) {
      if (dir === '') continue;
      const candidate = join(dir, tool);
      const stat = statSync(candidate, { throwIfNoEntry: false });
      if (stat?.isFile() && (stat.mode & 0o111) !== 0) return candidate;
    }
    return undefined;
  }

  /** Runs to completion and captures the output; a tool missing from PATH is status 127. */
  run(tool: string, args: readonly string[]): RunResult {
    const path = this.which(tool);
    if (!path) return { status: 127, stdout: '', stderr: `${tool}: not found on PATH` };
    const result = spawnSync(path, args, { env: this.env, encoding: 'utf8', timeout: 60_000 });
    return { status: result.status ?? 1, stdout: result.stdout ?? '', stderr: result.stderr ?? (result.error?.message ?? '') };
  }

  /** Runs with the terminal attached (journalctl -f, tail -f) and resolves with its exit status. */
  attach(tool: string, args: readonly string[]): Promise<number> {
    const path = this.which(tool);
    if (!path) return Promise.resolve(127);
    return new Promise((resolve) => {
      const child = spawn(path, args, { env: this.env, stdio: 'inherit' });
      child.on('error', () => resolve(1));
      child.on('exit', (code) => resolve(code ?? 1));
    });
  }
}
