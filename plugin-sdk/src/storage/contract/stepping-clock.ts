import type { Clock } from '../../contracts/index.js';

/** The real time, plus however far a test has moved it on: windows and expiries without waiting. */
export class SteppingClock implements Clock {
  private offset = 0;

  now(): number {
    return Date.now() + this.offset;
  }

  advance(ms: number): void {
    this.offset += ms;
  }
}
