import { describe, expect, it } from 'vitest';
import { backoffDelay, TokenBucket } from '../../../plugin-sdk/src/channel/index.js';
import { ManualTimers } from './manual-timers.js';

describe('TokenBucket', () => {
  it('lets a burst of `capacity` through at once, then refills at the rate', async () => {
    const timers = new ManualTimers();
    const bucket = new TokenBucket({ ratePerSecond: 2, capacity: 3 }, timers);
    expect([bucket.tryTake(), bucket.tryTake(), bucket.tryTake(), bucket.tryTake()]).toEqual([true, true, true, false]);
    await timers.advance(499);
    expect(bucket.tryTake()).toBe(false);
    await timers.advance(1);
    expect(bucket.tryTake()).toBe(true);
  });

  it('never holds more than its capacity however long it idles', async () => {
    const timers = new ManualTimers();
    const bucket = new TokenBucket({ ratePerSecond: 10, capacity: 2 }, timers);
    await timers.advance(60_000);
    expect(bucket.available()).toBe(2);
  });

  it('releases waiting senders one by one, in arrival order, at the sustained rate', async () => {
    const timers = new ManualTimers();
    const bucket = new TokenBucket({ ratePerSecond: 1, capacity: 1 }, timers);
    const released: number[] = [];
    for (const id of [1, 2, 3]) void bucket.take().then(() => released.push(id));
    await timers.advance(0);
    expect(released).toEqual([1]);
    await timers.advance(1000);
    expect(released).toEqual([1, 2]);
    await timers.advance(1000);
    expect(released).toEqual([1, 2, 3]);
  });

  it('gives the tokens back when a waiting sender gives up', async () => {
    const timers = new ManualTimers();
    const bucket = new TokenBucket({ ratePerSecond: 1, capacity: 1 }, timers);
    bucket.tryTake();
    const controller = new AbortController();
    const waiting = bucket.take(1, controller.signal);
    controller.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    await timers.advance(1000);
    expect(bucket.tryTake()).toBe(true);
  });

  it('refuses a rate or capacity that could never release anything', () => {
    const timers = new ManualTimers();
    expect(() => new TokenBucket({ ratePerSecond: 0, capacity: 1 }, timers)).toThrow(/ratePerSecond/);
    expect(() => new TokenBucket({ ratePerSecond: 1, capacity: 0 }, timers)).toThrow(/capacity/);
  });
});

describe('backoffDelay', () => {
  it('doubles up to the cap, with half of each delay random', () => {
    const options = { initialMs: 1000, maxMs: 8000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, { ...options, random: () => 0 }))).toEqual([500, 1000, 2000, 4000, 4000]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, { ...options, random: () => 0.999999 }))).toEqual([1000, 2000, 4000, 8000, 8000]);
  });
});
