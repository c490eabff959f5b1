import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from '@nexus/plugin-sdk';

export interface FileLockOptions {
  /** A lock older than this is taken as left behind by a crash. Appends hold it for milliseconds. */
  readonly staleMs?: number;
  /** How long to wait for a live holder before giving up. */
  readonly timeoutMs?: number;
  /** Pause between attempts while the lock is held. */
  readonly retryMs?: number;
}

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly token: string;
  readonly at: number;
}

/** Why a lock could not be taken: someone alive holds it for longer than the timeout. */
export class FileLockTimeoutError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: string,
  ) {
    super(`could not lock ${lockPath}: ${holder} still holds it; if no Nexus process is running, delete the lock file`);
    this.name = 'FileLockTimeoutError';
  }
}

/**
 * Runs `fn` while holding `lockPath`, a lock file created with O_EXCL, so one writer per file is
 * safe across processes. A lock whose holder is gone (same host, dead pid) or that is older than
 * `staleMs` is broken: it is renamed away first (atomic, so of two breakers only one wins), and
 * put back if it turns out a live holder had replaced it in the meantime.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const token = await acquire(lockPath, options);
  try {
    return await fn();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, options: FileLockOptions): Promise<string> {
  const staleMs = options.staleMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retryMs = options.retryMs ?? 5;
  const token = randomBytes(12).toString('hex');
  const body = JSON.stringify({ pid: process.pid, host: hostname(), token, at: Date.now() } satisfies Holder);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      try {
        await handle.writeFile(body);
      } finally {
        await handle.close();
      }
      return token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = await inspect(lockPath);
    if (current === undefined) continue;
    if (isStale(current, staleMs)) {
      await breakLock(lockPath, current.holder?.token);
      continue;
    }
    if (Date.now() >= deadline) throw new FileLockTimeoutError(lockPath, describe(current.holder));
    await sleep(retryMs + Math.random() * retryMs);
  }
}

interface LockState {
  readonly holder: Holder | undefined;
  readonly ageMs: number;
}

/** The lock's holder and age; undefined when it went away meanwhile. */
async function inspect(lockPath: string): Promise<LockState | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    return { holder: parseHolder(text), ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function isStale(state: LockState, staleMs: number): boolean {
  if (state.ageMs > staleMs) return true;
  // A holder still writing its body has none yet; only age can tell whether it died there.
  const holder = state.holder;
  return holder !== undefined && holder.host === hostname() && !isProcessAlive(holder.pid);
}

async function breakLock(lockPath: string, staleToken: string | undefined): Promise<void> {
  const aside = `${lockPath}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const moved = parseHolder(await readFile(aside, 'utf8').catch(() => ''));
  if (moved !== undefined && moved.token !== staleToken) {
    // Between our look and the rename, a live holder replaced the stale lock: give it back.
    await link(aside, lockPath).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

async function release(lockPath: string, token: string): Promise<void> {
  const holder = parseHolder(await readFile(lockPath, 'utf8').catch(() => ''));
  // Broken as stale while we held it (we were paused for longer than staleMs): not ours any more.
  if (holder?.token !== token) return;
  await unlink(lockPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

function parseHolder(text: string): Holder | undefined {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    return typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string' ? (value as Holder) : undefined;
  } catch {
    return undefined;
  }
}

function describe(holder: Holder | undefined): string {
  return holder ? `process ${holder.pid} on ${holder.host} (since ${new Date(holder.at).toISOString()})` : 'a process that has not written its name yet';
}
