export interface BackoffSettings {
  /** Delay before the first retry. */
  readonly initialDelayMs: number;
  /** Longest delay between two attempts. */
  readonly maxDelayMs: number;
  /** A connection that stayed up this long counts as healthy: the next failure starts over at the initial delay. */
  readonly stableAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffSettings = { initialDelayMs: 1000, maxDelayMs: 60_000, stableAfterMs: 30_000 };

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so servers that
 * died together (a network blip) do not all come back in the same millisecond.
 * `attempt` counts from 1; `random` returns [0, 1).
 */
export function backoffDelay(settings: BackoffSettings, attempt: number, random: () => number): number {
  const exponential = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
