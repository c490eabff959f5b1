// Wall time of one fresh process, spawn to exit. spawnSync keeps the parent idle while the
// child runs, so the parent's own event loop adds nothing; the pipe setup it does cost is the
// same for our command and for the baseline.
import { spawnSync } from 'node:child_process';

export function timedSpawn(command, args, options = {}) {
  const started = performance.now();
  const child = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  const ms = performance.now() - started;
  if (child.error) throw child.error;
  if (child.status !== 0) {
    throw new Error(`${[command, ...args].join(' ')} exited with ${child.status ?? child.signal}\n${child.stderr}`);
  }
  return { ms, stdout: child.stdout, stderr: child.stderr };
}
