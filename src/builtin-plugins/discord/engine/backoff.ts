export interface BackoffPolicy {
  /** Delay ceiling for the first retry. */
  readonly initialMs: number;
  /** No delay ceiling grows beyond this. */
  readonly maxMs: number;
}

/**
 * The delay before reconnect attempt `attempt` (1 for the first retry): the ceiling doubles per
 * attempt up to `maxMs`, and the delay is drawn between half the ceiling and the ceiling ("equal
 * jitter"), so accounts that lost their connections together do not come back in lockstep.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
