import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
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

    const random = this.take(8);
    const bytes = new Array<number>(16);
    for (let i = 5, rest = ms; i >= 0; i--, rest = Math.floor(rest / 256)) bytes[i] = rest % 256;
    bytes[6] = 0x70 | (this.counter >> 8);
    bytes[7] = this.counter & 0xff;
    bytes[8] = 0x80 | (random[0]! & 0x3f);
    for (let i = 9; i < 16; i++) bytes[i] = random[i - 8]!;
    const h = bytes.map((b) => HEX[b]!);
    return `${h[0]}${h[1]}${h[2]}${h[3]}-${h[4]}${h[5]}-${h[6]}${h[7]}-${h[8]}${h[9]}-${h[10]}${h[11]}${h[12]}${h[13]}${h[14]}${h[15]}`;
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
