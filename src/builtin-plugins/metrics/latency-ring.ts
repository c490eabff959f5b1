import type { LatencySnapshot } from '@nexus/plugin-sdk';

/**
 * The most recent `capacity` latency samples in a preallocated ring: recording is O(1) and
 * allocates nothing, and memory stays fixed however long the process runs. Percentiles are
 * computed on demand (a scrape, a status call) from a sorted copy.
 */
export class LatencyRing {
  private readonly samples: Float64Array;
  private head = 0;
  private size = 0;

  constructor(readonly capacity = 1000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`LatencyRing: capacity must be a positive integer, got ${capacity}`);
    this.samples = new Float64Array(capacity);
  }

  /** Records one sample; negative or non-finite values (a clock step, a bug upstream) are ignored. */
  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    this.samples[this.head] = ms;
    this.head = (this.head + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  snapshot(): LatencySnapshot {
    const n = this.size;
    if (n === 0) return { count: 0, min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0 };
    // When the ring is not yet full its samples are the first `n` slots; either way order does not matter once sorted.
    const sorted = this.samples.slice(0, n).sort();
    let sum = 0;
    for (const value of sorted) sum += value;
    // Nearest rank at sorted[floor(n·p/100)]: with 1..1005 recorded, p50 is 506, p95 956, p99 996.
    const at = (p: number) => sorted[Math.min(n - 1, Math.floor((n * p) / 100))]!;
    return { count: n, min: sorted[0]!, max: sorted[n - 1]!, mean: sum / n, p50: at(50), p95: at(95), p99: at(99) };
  }
}
