import { sleep, type ChannelTimers } from './timers.js';

export interface TokenBucketOptions {
  /** Tokens added per second, the sustained rate. */
  readonly ratePerSecond: number;
  /** The most tokens held at once: how large a burst goes out without waiting. */
  readonly capacity: number;
}

/**
 * A token bucket on an injected clock. `reserve` hands out tokens in arrival order, going into
 * debt when the bucket is empty and telling each caller how long to wait for its turn, so many
 * waiting senders are released one by one at the sustained rate instead of all at once.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly options: TokenBucketOptions,
    private readonly timers: ChannelTimers,
  ) {
    if (!(options.ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be above 0, got ${options.ratePerSecond}`);
    if (!(options.capacity >= 1)) throw new RangeError(`capacity must be at least 1, got ${options.capacity}`);
    this.tokens = options.capacity;
    this.updatedAt = timers.now();
  }

  /** Takes `n` tokens if they are there now; false (and nothing taken) otherwise. */
  tryTake(n = 1): boolean {
    this.refill();
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Takes `n` tokens now, in debt if need be; returns how many ms the caller must wait first. */
  reserve(n = 1): number {
    this.refill();
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.options.ratePerSecond) * 1000);
  }

  /** Waits until `n` tokens are the caller's. An abort while waiting gives the tokens back. */
  async take(n = 1, signal?: AbortSignal): Promise<void> {
    const wait = this.reserve(n);
    if (wait === 0) return;
    try {
      await sleep(this.timers, wait, signal);
    } catch (error) {
      this.tokens += n;
      throw error;
    }
  }

  /** Tokens available now (negative while callers wait on debt). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const now = this.timers.now();
    const elapsed = Math.max(0, now - this.updatedAt);
    this.updatedAt = now;
    this.tokens = Math.min(this.options.capacity, this.tokens + (elapsed / 1000) * this.options.ratePerSecond);
  }
}
