import { createToken } from './tokens.js';

/**
 * Background work that shutdown must wait for. Each task receives an `AbortSignal` that fires
 * when its owner (a plugin, or the kernel) stops; stop then waits for the task to settle.
 */
export interface TaskTracker {
  /** Starts `work` now and tracks it until it settles. The returned promise is the task's own. */
  run<T>(name: string, work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Names of the tasks still running. */
  active(): readonly string[];
  /** Fires when the owner stops. */
  readonly signal: AbortSignal;
}

export const TaskTrackerToken = createToken<TaskTracker>('nexus.tasks');
