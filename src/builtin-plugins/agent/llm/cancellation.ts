/**
 * How a model call learns that its caller gave up: an AbortSignal, or anything that acts as one
 * (the runtime's turn cancellation makes a real signal only when something asks for it).
 */
export interface Cancellation {
  readonly aborted: boolean;
  readonly reason: unknown;
  /** An AbortSignal that aborts with it, for APIs that take one. */
  readonly signal: AbortSignal;
  /** Calls `listener` once when it is cancelled from now on; returns the function that stops listening. */
  onAbort(listener: () => void): () => void;
}

/** `source` as a `Cancellation`: itself, or a view of a plain AbortSignal. */
export function cancellationOf(source: AbortSignal | Cancellation): Cancellation {
  return source instanceof AbortSignal ? new SignalCancellation(source) : source;
}

class SignalCancellation implements Cancellation {
  constructor(readonly signal: AbortSignal) {}

  get aborted(): boolean {
    return this.signal.aborted;
  }

  get reason(): unknown {
    return this.signal.reason;
  }

  onAbort(listener: () => void): () => void {
    this.signal.addEventListener('abort', listener, { once: true });
    return () => this.signal.removeEventListener('abort', listener);
  }
}
