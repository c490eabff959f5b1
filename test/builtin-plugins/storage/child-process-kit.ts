import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const repo = join(import.meta.dirname, '../../..');

/** A TypeScript fixture in its own Node process, loaded through jiti as the host loads plugins. */
export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  /** Resolves with the next stdout line (rejects if the process exits first). */
  nextLine(): Promise<string>;
  /** Every stdout line so far. */
  readonly lines: string[];
  /** Stderr so far, for failure messages. */
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startChild(fixture: string, args: readonly string[]): Child {
  const child = spawn(process.execPath, ['--import', 'jiti/register', join(import.meta.dirname, 'fixtures', fixture), ...args], { cwd: repo, stdio: 'pipe' });
  const lines: string[] = [];
  const waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  let stderr = '';
  let done = false;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    waiting.shift()?.resolve(line);
  });
  let read = 0;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      done = true;
      // Let the last stdout lines arrive before failing readers.
      setImmediate(() => {
        for (const w of waiting.splice(0)) w.reject(new Error(`${fixture} exited (${code ?? signal}) before printing a line: ${stderr}`));
      });
      resolve({ code, signal });
    }),
  );
  return {
    process: child,
    lines,
    stderr: () => stderr,
    exited,
    nextLine: () => {
      if (read < lines.length) return Promise.resolve(lines[read++]!);
      if (done) return Promise.reject(new Error(`${fixture} exited before printing a line: ${stderr}`));
      read++;
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
  };
}
