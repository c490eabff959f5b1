export interface BackoffOptions {
  /** The first delay. */
  readonly initialMs: number;
  /** The longest delay. */
  readonly maxMs: number;
  /** Growth per attempt; 2 doubles. */
  readonly factor?: number;
  /** Uniform in [0, 1): tests pass a fixed one. */
  readonly random?: () => number;
}

/**
 * The delay before reconnect attempt `attempt` (1-based): exponential, capped, with "equal
 * jitter" (half fixed, half random) so that many clients cut off together do not come back in
 * lockstep, while none retries at once.
 */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const factor = options.factor ?? 2;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(options.maxMs, options.initialMs * factor ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
