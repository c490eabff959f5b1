import type { Clock } from '@nexus/plugin-sdk';
import type { TimerHandle, Timers } from '../../../src/builtin-plugins/cron/time/index.js';

interface PendingTimer {
  readonly id: number;
  at: number;
  readonly callback: () => void;
}

/**
 * A wall clock and timers moved by hand. `advance` fires due timers in order, letting the code
 * under test settle after each instant; `jump` moves the wall clock without the timers, the way a
 * suspended laptop or an NTP step does (timers run on the monotonic clock).
 */
export class ManualTime implements Clock, Timers {
  private current: number;
  private nextId = 1;
  private readonly pending = new Map<number, PendingTimer>();
  private readonly settlers: (() => Promise<void>)[] = [];

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer = { id: this.nextId++, at: this.current + Math.max(0, ms), callback };
    this.pending.set(timer.id, timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending.delete(handle as number);
  }

  /** How many timers are armed. */
  get timerCount(): number {
    return this.pending.size;
  }

  /** When the earliest armed timer fires. */
  get nextTimerAt(): number | undefined {
    let earliest: number | undefined;
    for (const timer of this.pending.values()) if (earliest === undefined || timer.at < earliest) earliest = timer.at;
    return earliest;
  }

  /** Waits for this after every timer (e.g. `() => scheduler.idle()`). */
  onSettle(settle: () => Promise<void>): void {
    this.settlers.push(settle);
  }

  async settle(): Promise<void> {
    for (const settle of this.settlers) await settle();
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.current + ms);
  }

  async advanceTo(target: number): Promise<void> {
    // Work already under way may arm timers before the clock moves.
    await this.settle();
    for (;;) {
      const due = [...this.pending.values()].filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id);
      if (due.length === 0) break;
      // Timers due at the same instant fire together, as in separate processes, then everything settles.
      const at = due[0]!.at;
      this.current = Math.max(this.current, at);
      for (const timer of due.filter((t) => t.at === at)) {
        this.pending.delete(timer.id);
        timer.callback();
      }
      await this.settle();
    }
    this.current = Math.max(this.current, target);
    await this.settle();
  }

  /** The wall clock jumps by `ms` (either way); armed timers keep their remaining delay. */
  jump(ms: number): void {
    this.current += ms;
    for (const timer of this.pending.values()) timer.at += ms;
  }
}
