import type { Cancellation } from '../llm/index.js';

const NOT_LISTENING = (): void => undefined;

/**
 * A turn's cancellation: the caller cancelling, the plugin stopping or the reader leaving abort
 * it. It acts as an AbortSignal for the model call and the loop without being one: the real
 * signal is made only when something asks for it (a tool, a prompt section, a retry's backoff).
 * Most turns need none, and making one, with its listener on the provider's stream, was a
 * measurable share of a turn's cost.
 */
export class TurnCancellation implements Cancellation {
  private controller: AbortController | undefined;
  private cancelled: { readonly reason: unknown } | undefined;
  private listeners: Set<() => void> | undefined;

  get aborted(): boolean {
    return this.cancelled !== undefined;
  }

  get reason(): unknown {
    return this.cancelled?.reason;
  }

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.cancelled) this.controller.abort(this.cancelled.reason);
    }
    return this.controller.signal;
  }

  /** Cancels the turn once; later calls change nothing. Without a reason, an AbortError, as `AbortController.abort` gives. */
  abort(reason?: unknown): void {
    if (this.cancelled) return;
    this.cancelled = { reason: reason ?? new DOMException('This operation was aborted', 'AbortError') };
    this.controller?.abort(this.cancelled.reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const listener of listeners ?? []) listener();
  }

  onAbort(listener: () => void): () => void {
    if (this.cancelled) return NOT_LISTENING;
    const listeners = (this.listeners ??= new Set());
    listeners.add(listener);
    return () => listeners.delete(listener);
  }
}
