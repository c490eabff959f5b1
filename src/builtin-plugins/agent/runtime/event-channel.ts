/**
 * A bounded queue between the turn (producer) and whoever reads its events (consumer). `push`
 * waits while `capacity` events are unread, so a slow consumer slows the turn down (and with
 * it the pull from the provider's stream) instead of letting events pile up in memory.
 */
export class EventChannel<T> implements AsyncIterable<T> {
  private readonly buffer: T[] = [];
  private closed = false;
  /** The consumer stopped reading (break, return, throw): producing more is pointless. */
  private abandoned = false;
  private waitingConsumer: (() => void) | undefined;
  private readonly waitingProducers: (() => void)[] = [];

  constructor(
    private readonly capacity: number,
    /** Called once when the consumer stops before the end, so the producer can be cancelled. */
    private readonly onAbandon: () => void,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`event buffer capacity must be a positive integer, got ${capacity}`);
  }

  /** Resolves once the event is buffered (immediately while there is room). */
  async push(event: T): Promise<void> {
    while (this.buffer.length >= this.capacity && !this.abandoned) {
      await new Promise<void>((resolve) => this.waitingProducers.push(resolve));
    }
    this.enqueue(event);
  }

  /**
   * Buffers the turn's last event without waiting for room, so a turn can always finish (and
   * release what it holds) even if nobody reads it any more. Exceeds the bound by at most one.
   */
  pushFinal(event: T): void {
    this.enqueue(event);
  }

  close(): void {
    this.closed = true;
    this.wakeConsumer();
  }

  /** Unread events, for tests and diagnostics. */
  get pending(): number {
    return this.buffer.length;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: async (): Promise<IteratorResult<T>> => {
        while (this.buffer.length === 0 && !this.closed && !this.abandoned) {
          await new Promise<void>((resolve) => (this.waitingConsumer = resolve));
        }
        if (this.buffer.length > 0 && !this.abandoned) {
          const value = this.buffer.shift()!;
          this.wakeProducer();
          return { done: false, value };
        }
        return { done: true, value: undefined };
      },
      return: async (): Promise<IteratorResult<T>> => {
        this.abandon();
        return { done: true, value: undefined };
      },
      throw: async (error?: unknown): Promise<IteratorResult<T>> => {
        this.abandon();
        throw error;
      },
    };
  }

  private enqueue(event: T): void {
    if (this.abandoned || this.closed) return;
    this.buffer.push(event);
    this.wakeConsumer();
  }

  private abandon(): void {
    if (this.abandoned) return;
    const finished = this.closed;
    this.abandoned = true;
    this.buffer.length = 0;
    for (const wake of this.waitingProducers.splice(0)) wake();
    if (!finished) this.onAbandon();
  }

  private wakeConsumer(): void {
    const wake = this.waitingConsumer;
    this.waitingConsumer = undefined;
    wake?.();
  }

  private wakeProducer(): void {
    this.waitingProducers.shift()?.();
  }
}
