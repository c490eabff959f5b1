import type { Cancellation } from './cancellation.js';

/** The provider made no progress within the time allowed. */
export class StreamTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no response from the provider within ${timeoutMs} ms`);
    this.name = 'StreamTimeoutError';
  }
}

function abortError(cancellation: Cancellation): unknown {
  return cancellation.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

const FINISHED: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * Runs a provider stream under the caller's cancellation and a progress timeout, without trusting
 * the provider to honour either: each step races the abort, and leaving early (a return, an
 * error, a timeout) aborts the provider's own signal so its HTTP request closes. The timer runs only while
 * we wait for the provider, not while the caller is busy with an event. The provider's stream is
 * opened on the first `next()`.
 */
export function guardedStream<T>(
  open: (signal: AbortSignal) => AsyncIterable<T>,
  options: { readonly cancellation: Cancellation; readonly timeoutMs: number },
): AsyncIterableIterator<T> {
  return new GuardedStream(open, options.cancellation, options.timeoutMs);
}

/**
 * A hand-written iterator rather than an async generator racing each step: every event of every
 * model call passes through here, and a generator's yield plus a `Promise.race` per event were a
 * measurable share of a turn. Each step is now one promise, which `stop` rejects directly.
 */
class GuardedStream<T> implements AsyncIterableIterator<T> {
  private readonly controller = new AbortController();
  private iterator: AsyncIterator<T> | undefined;
  private closed = false;
  /** Rejects the step being waited for; set only while waiting on the provider. */
  private rejectStep: ((reason: unknown) => void) | undefined;
  private stopped = false;
  private timedOut = false;
  // One timer for the whole stream rather than one per event: it is armed when a wait starts
  // and, when it fires, looks at how long the current wait has lasted, re-arming itself for the
  // rest (or not at all while the caller is busy with an event).
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waitingSince: number | undefined;
  private readonly forward = () => this.stop(this.cancellation.reason);
  private unlisten: (() => void) | undefined;
  private readonly watch = () => {
    this.timer = undefined;
    if (this.waitingSince === undefined) return;
    const left = this.timeoutMs - (performance.now() - this.waitingSince);
    if (left > 0) {
      this.timer = setTimeout(this.watch, left);
      return;
    }
    this.timedOut = true;
    this.stop(new StreamTimeoutError(this.timeoutMs));
  };

  constructor(
    private readonly open: (signal: AbortSignal) => AsyncIterable<T>,
    private readonly cancellation: Cancellation,
    private readonly timeoutMs: number,
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.closed) return Promise.resolve(FINISHED);
    if (this.stopped) return Promise.reject(this.failure(undefined));
    if (this.iterator === undefined) {
      if (this.cancellation.aborted) {
        this.closed = true;
        return Promise.reject(abortError(this.cancellation));
      }
      this.unlisten = this.cancellation.onAbort(this.forward);
      try {
        this.iterator = this.open(this.controller.signal)[Symbol.asyncIterator]();
      } catch (error) {
        return Promise.reject(this.failure(error));
      }
    }
    const iterator = this.iterator;
    this.waitingSince = performance.now();
    this.timer ??= setTimeout(this.watch, this.timeoutMs);
    return new Promise<IteratorResult<T>>((resolve, reject) => {
      this.rejectStep = reject;
      let step: Promise<IteratorResult<T>>;
      try {
        step = iterator.next();
      } catch (error) {
        // A hand-written provider iterator may throw instead of rejecting.
        this.rejectStep = undefined;
        reject(this.failure(error));
        return;
      }
      Promise.resolve(step).then(
        (step) => {
          if (this.rejectStep !== reject) return; // stopped while waiting: already rejected
          this.rejectStep = undefined;
          this.waitingSince = undefined;
          if (step.done) this.close(true);
          resolve(step);
        },
        (error: unknown) => {
          if (this.rejectStep !== reject) return;
          this.rejectStep = undefined;
          reject(this.failure(error));
        },
      );
    });
  }

  /** The caller leaves early: the provider's request is stopped. */
  return(): Promise<IteratorResult<T>> {
    this.close(false);
    return Promise.resolve(FINISHED);
  }

  /** Aborts the provider's signal and fails the step being waited for (or the next one). */
  private stop(reason: unknown): void {
    this.stopped = true;
    this.controller.abort(reason);
    const reject = this.rejectStep;
    this.rejectStep = undefined;
    reject?.(this.failure(undefined));
  }

  /** What the caller is told, closing the stream: the caller's abort, the timeout, or the provider's own error. */
  private failure(error: unknown): unknown {
    if (this.cancellation.aborted) {
      this.close(false);
      return abortError(this.cancellation);
    }
    if (this.timedOut) {
      this.close(false);
      return new StreamTimeoutError(this.timeoutMs);
    }
    this.close(true); // the provider's iterator threw, so it has already ended
    return error;
  }

  private close(finished: boolean): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.waitingSince = undefined;
    this.unlisten?.();
    if (finished) return;
    if (!this.controller.signal.aborted) this.controller.abort(new DOMException('The caller stopped reading the stream.', 'AbortError'));
    // Don't wait: a provider that ignores its signal must not hold the caller.
    void Promise.resolve(this.iterator?.return?.()).catch(() => undefined);
  }
}
