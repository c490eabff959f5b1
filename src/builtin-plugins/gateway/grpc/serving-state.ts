export type ServingStatus = 'SERVING' | 'NOT_SERVING';

/**
 * Whether the gateway takes traffic: NOT_SERVING until startup completes (hook `kernel.ready`),
 * SERVING after, NOT_SERVING again once it drains (hook `kernel.stopping`). Both health services
 * read it; watchers hear every change, and `close` tells them the server is going away.
 */
export class ServingState {
  private current: ServingStatus = 'NOT_SERVING';
  private readonly listeners = new Set<(status: ServingStatus) => void>();
  private readonly closers = new Set<() => void>();
  private isDraining = false;
  /** When the server started listening, for uptime. */
  startedAt = 0;

  get status(): ServingStatus {
    return this.current;
  }

  /** Whether the gateway has begun to stop. */
  get draining(): boolean {
    return this.isDraining;
  }

  set(status: ServingStatus): void {
    // Once draining, stay down: a late `kernel.ready` must not reopen a stopping gateway.
    if (this.isDraining && status === 'SERVING') return;
    if (status === this.current) return;
    this.current = status;
    for (const listener of [...this.listeners]) listener(status);
  }

  /** Hears every change; returns the unsubscribe function. */
  watch(listener: (status: ServingStatus) => void, onClose?: () => void): () => void {
    this.listeners.add(listener);
    if (onClose) this.closers.add(onClose);
    return () => {
      this.listeners.delete(listener);
      if (onClose) this.closers.delete(onClose);
    };
  }

  /** Draining: NOT_SERVING from now on; watchers hear it and their streams stay open. */
  drain(): void {
    this.set('NOT_SERVING');
    this.isDraining = true;
  }

  /** The server is going away: drain, then end every watcher's stream. */
  close(): void {
    this.drain();
    for (const close of [...this.closers]) close();
    this.listeners.clear();
    this.closers.clear();
  }
}
