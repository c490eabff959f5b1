import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, relative, sep } from 'node:path';
import type { MemoryPaths } from '../paths/index.js';

/** Timers, injectable so tests decide when a debounce ends instead of waiting for it. */
export interface Scheduler {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realScheduler: Scheduler = {
  set: (fn, ms) => {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return timer;
  },
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface WatcherOptions {
  readonly debounceMs: number;
  readonly scheduler?: Scheduler;
  /** A watch that failed (a folder removed, too many watches); the index still updates on demand. */
  readonly onError?: (error: Error) => void;
}

/**
 * Re-indexes when memory files change: `fs.watch` on the workspace folder (for MEMORY.md and the
 * daily folder appearing), the daily folder and each extra path (recursively), debounced so a
 * burst of writes makes one run. A root that does not exist yet is watched once the workspace
 * sees it created. `onChange` runs an incremental index, which only reads what changed.
 */
export class MemoryWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private pending: unknown;
  private closed = false;
  private readonly scheduler: Scheduler;

  constructor(
    private readonly paths: MemoryPaths,
    private readonly onChange: () => Promise<void>,
    private readonly options: WatcherOptions,
  ) {
    this.scheduler = options.scheduler ?? realScheduler;
  }

  start(): void {
    this.attach(this.paths.workspaceDir, false, (name) => {
      this.attachRoots();
      if (name === undefined || this.relevantInWorkspace(name)) this.schedule();
    });
    this.attachRoots();
  }

  close(): void {
    this.closed = true;
    if (this.pending !== undefined) this.scheduler.clear(this.pending);
    this.pending = undefined;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  /** Roots that exist and are not watched yet. */
  private attachRoots(): void {
    for (const root of this.paths.watchRoots()) {
      if (root.file) {
        const dir = dirname(root.absolutePath);
        if (dir === this.paths.workspaceDir) continue;
        this.attach(dir, false, (name) => {
          if (name === undefined || name === basename(root.absolutePath)) this.schedule();
        });
      } else {
        this.attach(root.absolutePath, true, (name) => {
          if (name === undefined || name.toLowerCase().endsWith('.md') || !name.includes('.')) this.schedule();
        });
      }
    }
  }

  private attach(dir: string, recursive: boolean, onEvent: (name: string | undefined) => void): void {
    if (this.closed || this.watchers.has(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { recursive, persistent: false }, (_event, name) => onEvent(name === null ? undefined : String(name)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.options.onError?.(error as Error);
      return;
    }
    watcher.on('error', (error) => {
      watcher.close();
      this.watchers.delete(dir);
      this.options.onError?.(error);
    });
    this.watchers.set(dir, watcher);
  }

  /** In the workspace folder itself: MEMORY.md, a root created or removed. */
  private relevantInWorkspace(name: string): boolean {
    return this.paths.watchRoots().some((root) => relative(this.paths.workspaceDir, root.absolutePath).split(sep)[0] === name);
  }

  private schedule(): void {
    if (this.closed) return;
    if (this.pending !== undefined) this.scheduler.clear(this.pending);
    this.pending = this.scheduler.set(() => {
      this.pending = undefined;
      void this.onChange().catch((error: Error) => this.options.onError?.(error));
    }, this.options.debounceMs);
  }
}
