import { describe, expect, it } from 'vitest';
import { ChannelStats } from '../../../src/builtin-plugins/metrics/channel-stats.js';
import { LatencyRing } from '../../../src/builtin-plugins/metrics/latency-ring.js';

describe('latency ring buffer', () => {
  it('keeps the last 1000 samples and reads p50/p95/p99 by nearest rank', () => {
    const ring = new LatencyRing(1000);
    for (let ms = 1; ms <= 1005; ms++) ring.record(ms);
    expect(ring.snapshot()).toEqual({ count: 1000, min: 6, max: 1005, mean: 505.5, p50: 506, p95: 956, p99: 996 });
  });

  it('computes percentiles over a partly filled ring, whatever the arrival order', () => {
    const ring = new LatencyRing(1000);
    for (const ms of [90, 10, 50, 30, 70, 20, 100, 40, 80, 60]) ring.record(ms);
    expect(ring.snapshot()).toEqual({ count: 10, min: 10, max: 100, mean: 55, p50: 60, p95: 100, p99: 100 });
  });

  it('overwrites the oldest sample once full', () => {
    const ring = new LatencyRing(3);
    for (const ms of [1000, 1, 2, 3]) ring.record(ms);
    expect(ring.snapshot()).toMatchObject({ count: 3, min: 1, max: 3 });
  });

  it('reports zeros with no samples, and ignores negative and non-finite ones', () => {
    const ring = new LatencyRing(10);
    expect(ring.snapshot()).toEqual({ count: 0, min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0 });
    ring.record(-5);
    ring.record(Number.NaN);
    ring.record(Number.POSITIVE_INFINITY);
    expect(ring.snapshot().count).toBe(0);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new LatencyRing(0)).toThrow('LatencyRing: capacity must be a positive integer, got 0');
    expect(() => new LatencyRing(2.5)).toThrow(/positive integer/);
  });
});

describe('channel stats', () => {
  it('counts per channel: received, sent with latency, failed by code', () => {
    const stats = new ChannelStats(100);
    stats.received('webhook');
    stats.received('webhook');
    stats.sent('webhook', 40);
    stats.sent('webhook', 60);
    stats.failed('webhook', 'delivery_failed');
    stats.failed('webhook', 'delivery_failed');
    stats.failed('webhook', 'turn_failed');
    stats.received('telegram');
    expect(stats.channels()).toEqual(['telegram', 'webhook']);
    expect(stats.snapshot('webhook')).toEqual({
      channel: 'webhook',
      received: 2,
      sent: 2,
      failed: { delivery_failed: 2, turn_failed: 1 },
      sendLatency: { count: 2, min: 40, max: 60, mean: 50, p50: 60, p95: 60, p99: 60 },
    });
  });

  it('answers zeros for a channel with no traffic', () => {
    expect(new ChannelStats().snapshot('discord')).toEqual({
      channel: 'discord',
      received: 0,
      sent: 0,
      failed: {},
      sendLatency: { count: 0, min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0 },
    });
  });
});
