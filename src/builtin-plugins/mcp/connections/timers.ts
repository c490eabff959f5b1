/** An opaque handle from `Timers.setTimeout`. */
export type TimerHandle = object;

/**
 * Time as the engine sees it: waiting (backoff, timeouts, kill grace) and reading the clock.
 * Tests inject a manual one instead of waiting for real.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /** Milliseconds since the epoch. */
  now(): number;
}

/** Real time. Timers are unref'd: a pending retry must not keep the process alive. */
export const systemTimers: Timers = {
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return timer;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
  now: () => Date.now(),
};

/** A signal that aborts after `ms` with `reason`; dispose it once the work is done. */
export function timeoutSignal(timers: Timers, ms: number, reason: () => Error): { readonly signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handle = timers.setTimeout(() => controller.abort(reason()), ms);
  return { signal: controller.signal, dispose: () => timers.clearTimeout(handle) };
}

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
