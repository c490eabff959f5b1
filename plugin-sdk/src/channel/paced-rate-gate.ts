import type { RateGate } from './channel-seams.js';
import type { TokenBucket } from './token-bucket.js';

/**
 * An account's rate limit: every call takes a token from the account's bucket (so a burst of
 * replies goes out at the sustained rate the platform allows), and a call under a key the
 * platform answered 429 for also waits out that key's retry-after (through `retryAfter`, usually
 * a `RetryAfterGate`). The bucket is taken after the retry-after wait, so a call that waited
 * does not hold a token meanwhile.
 */
export class PacedRateGate implements RateGate {
  constructor(
    private readonly bucket: TokenBucket,
    private readonly retryAfter: RateGate,
  ) {}

  async acquire(key: string, signal: AbortSignal): Promise<void> {
    await this.retryAfter.acquire(key, signal);
    await this.bucket.take(1, signal);
  }

  penalize(key: string, retryAfterMs: number): void {
    this.retryAfter.penalize(key, retryAfterMs);
  }
}
