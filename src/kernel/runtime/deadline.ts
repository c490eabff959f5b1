/** Raised when a phase overruns its deadline. The work itself may still be running. */
export class DeadlineError extends Error {
  constructor(
    readonly phase: string,
    readonly ms: number,
  ) {
    super(`${phase} did not finish within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

/** Settles like `work`, or rejects with DeadlineError after `ms`. The timer never holds the process open. */
export function withDeadline<T>(work: Promise<T> | T, ms: number, phase: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineError(phase, ms)), ms);
    timer.unref();
    Promise.resolve(work).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Resolves after `ms` without holding the process open. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
