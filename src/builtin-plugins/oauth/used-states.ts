/**
 * States already taken to a callback on this process, kept until they expire, so a state (with
 * its cookie) works once. Bounded: past `capacity` the oldest entries go first. A state forgotten
 * early, or presented to another replica, still cannot sign anyone in twice, because the provider
 * accepts each authorization code only once; this guard makes a replay fail here, before the
 * provider is asked.
 */
export class UsedStates {
  /** state → expiry (epoch ms), in insertion order, so the oldest is first. */
  private readonly used = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {}

  /** Marks `state` used; false if it already was (and has not expired). */
  consume(state: string, expiresAt: number, now: number): boolean {
    this.prune(now);
    if (this.used.has(state)) return false;
    while (this.used.size >= this.capacity) this.used.delete(this.used.keys().next().value!);
    this.used.set(state, expiresAt);
    return true;
  }

  get size(): number {
    return this.used.size;
  }

  private prune(now: number): void {
    // All states live equally long, so insertion order is expiry order: stop at the first live one.
    for (const [state, expiresAt] of this.used) {
      if (expiresAt > now) break;
      this.used.delete(state);
    }
  }
}
