const FINISHED: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

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

  /**
   * Buffers the event. While there is room that happens at once and nothing is returned, so the
   * producer need not wait a tick for every event; when the buffer is full, the returned promise
   * resolves once the event is buffered.
   */
  push(event: T): Promise<void> | undefined {
    if (this.buffer.length < this.capacity || this.abandoned) {
      this.enqueue(event);
      return undefined;
    }
    return this.pushWhenRoom(event);
  }

  private async pushWhenRoom(event: T): Promise<void> {
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
      next: (): Promise<IteratorResult<T>> => {
        const ready = this.take();
        if (ready !== undefined) return Promise.resolve(ready);
        return new Promise<IteratorResult<T>>((resolve) => {
          const wake = () => {
            const result = this.take();
            if (result !== undefined) resolve(result);
            else this.waitingConsumer = wake;
          };
          this.waitingConsumer = wake;
        });
      },
      return: async (): Promise<IteratorResult<T>> => {
        this.abandon();
        return FINISHED;
      },
      throw: async (error?: unknown): Promise<IteratorResult<T>> => {
        this.abandon();
        throw error;
      },
    };
  }

  /** The next result for the reader, or undefined while there is nothing to read yet. */
  private take(): IteratorResult<T> | undefined {
    if (this.buffer.length > 0 && !this.abandoned) {
      const value = this.buffer.shift()!;
      this.wakeProducer();
      return { done: false, value };
    }
    if (this.closed || this.abandoned) return FINISHED;
    return undefined;
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
