import { setMaxListeners } from 'node:events';
import type { TaskTracker } from '@nexus/plugin-sdk';
import { withDeadline } from './deadline.js';

const STARTED: Promise<void> = Promise.resolve();

/** Tracks one owner's background tasks, so stop can abort them and wait for them to settle. */
export class OwnedTasks implements TaskTracker {
  private readonly controller = new AbortController();
  private readonly running = new Map<Promise<unknown>, string>();

  constructor(private readonly owner: string) {
    // Every running task may listen on the one signal (a gateway runs a turn per session at
    // once), and each removes its listener when done: many listeners here are load, not a leak.
    setMaxListeners(0, this.controller.signal);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  run<T>(name: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.controller.signal.aborted) {
      return Promise.reject(new Error(`${this.owner} is stopping; task "${name}" was not started`));
    }
    // Started on a later tick: a task never runs inside the call that schedules it.
    const task = STARTED.then(() => work(this.controller.signal));
    this.running.set(task, name);
    // One handler for both outcomes: the caller owns the task's outcome, and tracking must not
    // add an unhandled rejection of its own (nor, on every turn, a chain of promises to do it).
    const forget = () => void this.running.delete(task);
    task.then(forget, forget);
    return task;
  }

  active(): readonly string[] {
    return [...this.running.values()];
  }

  /** Aborts every task and waits up to `deadlineMs` for them. Returns the names still running. */
  async drain(deadlineMs: number): Promise<readonly string[]> {
    this.controller.abort(new Error(`${this.owner} is stopping`));
    if (this.running.size === 0) return [];
    await withDeadline(Promise.allSettled([...this.running.keys()]), deadlineMs, `draining ${this.owner}`).catch(() => undefined);
    return this.active();
  }
}
