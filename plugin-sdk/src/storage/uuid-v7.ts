import { randomFillSync, randomInt } from 'node:crypto';
import { v7 } from 'uuid';

const POOL_SIZE = 4096;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * UUIDv7 ids (RFC 9562), laid out by the `uuid` package: 48 bits of Unix milliseconds, a 32-bit
 * counter (12 bits of rand_a and 20 of rand_b, RFC method 1), then random bits. Ids from one
 * generator sort in the order they were made, also within a millisecond and when the clock steps
 * back, so "order by id" is creation order. `uuid`'s own monotonic mode keeps that state once per
 * process and reads `Date.now()` itself; stores take the time from their injected clock, so each
 * generator keeps the millisecond and counter (as uuid's mode does) and hands them to `v7`.
 * One generator per store.
 *
 * The random bits come from a pool refilled 4 KB at a time: `uuid`'s own source calls
 * `crypto.getRandomValues` for every id, which made an id take about 5 times as long on Node 20
 * (`uuid-v7-pooled-vs-uuid` in docs/benchmarks.md: 23.5 µs against 4.5 µs on a loaded machine).
 */
export class UuidV7Generator {
  private msecs = -1;
  private seq = 0;
  private readonly pool = Buffer.alloc(POOL_SIZE);
  private poolOffset = POOL_SIZE;

  next(now: number = Date.now()): string {
    const ms = Math.max(Math.floor(now), 0);
    if (ms > this.msecs) {
      this.msecs = ms;
      // A fresh counter with its top bit clear leaves room for 2³¹ more ids in the millisecond.
      this.seq = randomInt(0x8000_0000);
    } else {
      this.seq = (this.seq + 1) | 0;
      // The counter wrapped: borrow the next millisecond rather than repeat or reorder.
      if (this.seq === 0) this.msecs += 1;
    }
    return v7({ msecs: this.msecs, seq: this.seq, random: this.random16() });
  }

  private random16(): Uint8Array {
    if (this.poolOffset + 16 > POOL_SIZE) {
      randomFillSync(this.pool);
      this.poolOffset = 0;
    }
    this.poolOffset += 16;
    return this.pool.subarray(this.poolOffset - 16, this.poolOffset);
  }
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
