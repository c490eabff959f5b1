/**
 * Remembers each signed request (account, timestamp, signature) until its timestamp falls out of
 * the accepted window, so a captured request replayed inside the window is refused too. The
 * memory is per process: replicas behind a load balancer each keep their own.
 */
export class ReplayGuard {
  /** key → when it may be forgotten (ms). Insertion order is roughly expiry order. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    /** Past this many remembered requests, new ones are refused rather than risk forgetting early. */
    private readonly capacity = 200_000,
  ) {}

  /** Whether the request was seen before. Does not remember it: call `remember` once accepted. */
  seenBefore(key: string, now: number): boolean {
    this.forgetExpired(now);
    return this.seen.has(key);
  }

  /** False when full: the caller should ask the sender to retry later. */
  remember(key: string, timestampMs: number, now: number): boolean {
    this.forgetExpired(now);
    if (this.seen.size >= this.capacity) return false;
    this.seen.set(key, timestampMs + this.windowMs);
    return true;
  }

  private forgetExpired(now: number): void {
    for (const [key, expires] of this.seen) {
      if (expires > now) break;
      this.seen.delete(key);
    }
  }
}
