import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * UUIDv7 ids (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter (RFC method 1), then
 * random bits. Ids from one generator sort in the order they were made, also within a millisecond
 * and when the clock steps back, so "order by id" is creation order. One generator per store.
 */
export class UuidV7Generator {
  private lastMs = -1;
  private counter = 0;
  private readonly pool = Buffer.alloc(POOL_SIZE);
  private poolOffset = POOL_SIZE;
  private readonly bytes = Buffer.alloc(16);

  next(now: number = Date.now()): string {
    let ms = Math.max(Math.floor(now), 0);
    if (ms <= this.lastMs) {
      ms = this.lastMs;
      this.counter += 1;
      // 4096 ids in one millisecond: borrow the next millisecond rather than repeat or reorder.
      if (this.counter > 0xfff) {
        ms += 1;
        this.counter = this.randomSeed();
      }
    } else {
      this.counter = this.randomSeed();
    }
    this.lastMs = ms;

    const bytes = this.bytes;
    this.take(8).copy(bytes, 8);
    bytes.writeUIntBE(ms, 0, 6);
    bytes[6] = 0x70 | (this.counter >> 8);
    bytes[7] = this.counter & 0xff;
    bytes[8] = 0x80 | (bytes[8]! & 0x3f);
    const h = bytes.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** A fresh counter start with its top bit clear, leaving room for 2048+ ids in the millisecond. */
  private randomSeed(): number {
    const [a, b] = this.take(2);
    return ((a! << 8) | b!) & 0x7ff;
  }

  private take(n: number): Buffer {
    if (this.poolOffset + n > POOL_SIZE) {
      randomFillSync(this.pool);
      this.poolOffset = 0;
    }
    const slice = this.pool.subarray(this.poolOffset, this.poolOffset + n);
    this.poolOffset += n;
    return slice;
  }
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
