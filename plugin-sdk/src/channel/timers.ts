/**
 * Time as a channel sees it: the current time, waiting, and scheduling. Everything in the kit
 * that waits or throttles takes this port, so tests drive time by hand instead of sleeping.
 */
export interface ChannelTimers {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` once after `ms`; the handle cancels it. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** An opaque handle from `ChannelTimers.setTimeout`. */
export type TimerHandle = unknown;

/** Rejected by `sleep` when its signal aborts: the signal's reason, or this. */
export class SleepAbortedError extends Error {
  constructor() {
    super('the wait was cancelled');
    this.name = 'AbortError';
  }
}

/** Resolves after `ms` on `timers`; rejects as soon as `signal` aborts. */
export function sleep(timers: ChannelTimers, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      timers.clearTimeout(handle);
      reject(abortReason(signal!));
    };
    const handle = timers.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new SleepAbortedError();
}

/**
 * Real time. Timers are unref'd: a channel waiting to retry must not keep a process alive that
 * is otherwise done.
 */
export function systemTimers(clock: { now(): number } = Date): ChannelTimers {
  return {
    now: () => clock.now(),
    setTimeout: (fn, ms) => {
      const handle = setTimeout(fn, ms);
      handle.unref();
      return handle;
    },
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}
