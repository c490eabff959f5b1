/** The provider made no progress within the time allowed. */
export class StreamTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no response from the provider within ${timeoutMs} ms`);
    this.name = 'StreamTimeoutError';
  }
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/**
 * Runs a provider stream under the caller's signal and a progress timeout, without trusting the
 * provider to honour either: each step races the abort, and leaving early (a break, an error, a
 * timeout) aborts the provider's own signal so its HTTP request closes. The timer runs only while
 * we wait for the provider, not while the caller is busy with an event.
 */
export async function* guardedStream<T>(
  open: (signal: AbortSignal) => AsyncIterable<T>,
  options: { readonly signal: AbortSignal; readonly timeoutMs: number },
): AsyncGenerator<T> {
  const { signal, timeoutMs } = options;
  if (signal.aborted) throw abortError(signal);
  const controller = new AbortController();
  // Only `stop` aborts the provider's signal while we wait on it, so it rejects `stopped` itself
  // rather than through a second abort listener (a listener per model call was a measurable cost).
  let rejectStopped!: (reason: unknown) => void;
  const stopped = new Promise<never>((_, reject) => (rejectStopped = reject));
  stopped.catch(() => undefined);
  const stop = (reason: unknown) => {
    controller.abort(reason);
    rejectStopped(controller.signal.reason);
  };
  const forward = () => stop(signal.reason);
  signal.addEventListener('abort', forward, { once: true });
  let timedOut = false;
  // One timer for the whole stream rather than one per event: it is armed when a wait starts
  // and, when it fires, looks at how long the current wait has lasted, re-arming itself for the
  // rest (or not at all while the caller is busy with an event).
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waitingSince: number | undefined;
  const watch = () => {
    timer = undefined;
    if (waitingSince === undefined) return;
    const left = timeoutMs - (performance.now() - waitingSince);
    if (left > 0) {
      timer = setTimeout(watch, left);
      return;
    }
    timedOut = true;
    stop(new StreamTimeoutError(timeoutMs));
  };
  const wait = () => {
    waitingSince = performance.now();
    timer ??= setTimeout(watch, timeoutMs);
  };

  let iterator: AsyncIterator<T> | undefined;
  let finished = false;
  try {
    iterator = open(controller.signal)[Symbol.asyncIterator]();
    for (;;) {
      wait();
      const step = await Promise.race([iterator.next(), stopped]);
      waitingSince = undefined;
      if (step.done) {
        finished = true;
        return;
      }
      yield step.value;
    }
  } catch (error) {
    if (signal.aborted) throw abortError(signal);
    if (timedOut) throw new StreamTimeoutError(timeoutMs);
    finished = true; // the provider's iterator threw, so it has already ended
    throw error;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', forward);
    if (!finished) {
      if (!controller.signal.aborted) controller.abort(new DOMException('The caller stopped reading the stream.', 'AbortError'));
      // Don't wait: a provider that ignores its signal must not hold the caller.
      void Promise.resolve(iterator?.return?.()).catch(() => undefined);
    }
  }
}
