import type { Clock } from '../contracts/index.js';
import type { RateGate, Wait } from './channel-seams.js';

/**
 * The local rate gate: lets every call through except while the platform's last 429 for the same
 * key still applies, then waits out the rest of its retry-after.
 */
export class RetryAfterGate implements RateGate {
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly wait: Wait,
  ) {}

  async acquire(key: string, signal: AbortSignal): Promise<void> {
    const until = this.blockedUntil.get(key);
    if (until === undefined) return;
    const remaining = until - this.clock.now();
    if (remaining > 0) await this.wait(remaining, signal);
    // An injected clock may not move while the wait runs; the wait itself is what was asked for.
    if (this.blockedUntil.get(key) === until) this.blockedUntil.delete(key);
  }

  penalize(key: string, retryAfterMs: number): void {
    const until = this.clock.now() + Math.max(0, retryAfterMs);
    this.blockedUntil.set(key, Math.max(until, this.blockedUntil.get(key) ?? 0));
  }
}
