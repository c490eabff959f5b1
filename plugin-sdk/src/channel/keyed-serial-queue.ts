/**
 * Runs tasks one at a time per key, keys in parallel: messages of one chat are handed on in the
 * order they arrived while other chats proceed. `pending` counts tasks queued or running, so a
 * reader can stop fetching when too many wait (backpressure).
 */
export class KeyedSerialQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private waiting = 0;
  private readonly idle = new Set<() => void>();

  get pending(): number {
    return this.waiting;
  }

  /** Queues `task` behind the key's earlier tasks. Its failure is `onError`'s, never the queue's. */
  run(key: string, task: () => Promise<void>, onError: (error: unknown) => void): void {
    this.waiting++;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(task).catch(onError).finally(() => {
      this.waiting--;
      if (this.tails.get(key) === next) this.tails.delete(key);
      for (const wake of [...this.idle]) wake();
    });
    this.tails.set(key, next);
  }

  /** Resolves once at most `max` tasks are pending. */
  async belowOrAt(max: number): Promise<void> {
    while (this.waiting > max) await new Promise<void>((resolve) => {
      const wake = () => {
        this.idle.delete(wake);
        resolve();
      };
      this.idle.add(wake);
    });
  }

  /** Resolves when every queued task has finished. */
  async drained(): Promise<void> {
    await this.belowOrAt(0);
  }
}
