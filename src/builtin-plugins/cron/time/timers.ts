/** An opaque timer handle. */
export type TimerHandle = unknown;

/**
 * Timer functions, injected so tests drive time by hand instead of waiting. Delays are on the
 * monotonic clock, like Node's: a suspended machine does not count down, the wall clock jumps.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Node's own limit: a longer delay would fire after 1 ms. */
const LONGEST_DELAY = 2_147_483_647;

/** Node's timers, unreferenced: a schedule alone does not keep a process alive. */
export const SYSTEM_TIMERS: Timers = {
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, Math.min(Math.max(0, ms), LONGEST_DELAY));
    timer.unref();
    return timer;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(timers: Timers, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      timers.clearTimeout(handle);
      reject(signal!.reason as Error);
    };
    const handle = timers.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
