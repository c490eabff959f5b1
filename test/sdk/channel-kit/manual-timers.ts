import type { ChannelTimers } from '../../../plugin-sdk/src/channel/index.js';

interface Pending {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
}

/** Lets every callback and I/O completion that is ready run before the test looks again. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Time that moves only when a test moves it. `advance` runs each timer that falls due, in order,
 * letting promise callbacks run after each, so code that sleeps and then acts is driven step by
 * step without waiting for real.
 */
export class ManualTimers implements ChannelTimers {
  private current: number;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const seq = ++this.seq;
    this.pending.set(seq, { at: this.current + Math.max(0, ms), seq, fn });
    return seq;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Timers waiting, with how far ahead each is due. */
  get waiting(): readonly number[] {
    return [...this.pending.values()].map((p) => p.at - this.current).sort((a, b) => a - b);
  }

  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const next = [...this.pending.values()].filter((p) => p.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.pending.delete(next.seq);
      this.current = next.at;
      next.fn();
      await settle();
    }
    this.current = target;
    await settle();
  }

  /** Advances in steps until `condition` holds, letting real I/O complete between steps. */
  async advanceUntil(condition: () => boolean, options: { stepMs?: number; maxMs?: number } = {}): Promise<void> {
    const step = options.stepMs ?? 100;
    const max = options.maxMs ?? 120_000;
    for (let moved = 0; !condition(); moved += step) {
      if (moved > max) throw new Error(`condition still false after advancing ${max} ms`);
      await this.advance(step);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}
