/**
 * Counts the scheduler's own work in flight (passes, database writes), so tests and benchmarks
 * can wait until it has settled instead of waiting a while. Executors and timer waits are not
 * counted: a run blocked in its executor, or waiting to retry, is settled.
 */
export class Activity {
  private pending = 0;
  private waiters: (() => void)[] = [];

  track<T>(work: Promise<T>): Promise<T> {
    this.pending++;
    return work.finally(() => {
      this.pending--;
      if (this.pending === 0) for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Resolves once nothing is in flight, including work started by the continuations of what just ended. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.pending > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.pending === 0) return;
    }
  }
}
