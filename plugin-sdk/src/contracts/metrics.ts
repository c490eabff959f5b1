import { createToken } from './tokens.js';

/** Latency over a channel's most recent sends (a fixed window of samples), in milliseconds. */
export interface LatencySnapshot {
  /** Samples in the window (at most the window size). */
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** One channel's message counters since the metrics plugin started, and its send latency. */
export interface ChannelMetricsSnapshot {
  readonly channel: string;
  readonly received: number;
  readonly sent: number;
  /** Failed deliveries, by error code (`delivery_failed`, `turn_failed`, …). */
  readonly failed: Readonly<Record<string, number>>;
  readonly sendLatency: LatencySnapshot;
}

/**
 * Channel metrics as plain numbers, for `channels status` and the like; the same figures are
 * exported at `/metrics`. Fed by the `message.*` hooks.
 */
export interface ChannelMetrics {
  /** Channels that have seen any traffic, sorted. */
  channels(): readonly string[];
  /** Zeros for a channel with no traffic yet. */
  snapshot(channel: string): ChannelMetricsSnapshot;
}

export const ChannelMetricsToken = createToken<ChannelMetrics>('nexus.metrics.channels');
