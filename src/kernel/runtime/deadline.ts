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

/**
 * Settles like `work`, or rejects with DeadlineError after `ms`. The timer is cleared as soon as
 * `work` settles, and it deliberately keeps the process alive meanwhile: a hung promise must
 * end in a timeout error, not in Node exiting because nothing else is scheduled.
 */
export function withDeadline<T>(work: Promise<T> | T, ms: number, phase: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new DeadlineError(phase, ms)), ms);
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
