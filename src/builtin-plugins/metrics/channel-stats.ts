import type { ChannelMetrics, ChannelMetricsSnapshot } from '@nexus/plugin-sdk';
import { LatencyRing } from './latency-ring.js';

interface ChannelCounters {
  received: number;
  sent: number;
  readonly failed: Map<string, number>;
  readonly sendLatency: LatencyRing;
}

/**
 * Per-channel counters and send latency, fed by the `message.*` hooks. Counters count since the
 * plugin started; latency covers the last `window` sends of each channel.
 */
export class ChannelStats implements ChannelMetrics {
  private readonly byChannel = new Map<string, ChannelCounters>();

  constructor(private readonly window = 1000) {}

  received(channel: string): void {
    this.counters(channel).received++;
  }

  sent(channel: string, latencyMs: number): void {
    const counters = this.counters(channel);
    counters.sent++;
    counters.sendLatency.record(latencyMs);
  }

  failed(channel: string, code: string): void {
    const { failed } = this.counters(channel);
    failed.set(code, (failed.get(code) ?? 0) + 1);
  }

  channels(): readonly string[] {
    return [...this.byChannel.keys()].sort();
  }

  snapshot(channel: string): ChannelMetricsSnapshot {
    const counters = this.byChannel.get(channel);
    const sendLatency = (counters?.sendLatency ?? new LatencyRing(1)).snapshot();
    return {
      channel,
      received: counters?.received ?? 0,
      sent: counters?.sent ?? 0,
      failed: Object.fromEntries([...(counters?.failed ?? [])].sort(([a], [b]) => a.localeCompare(b))),
      sendLatency,
    };
  }

  private counters(channel: string): ChannelCounters {
    let counters = this.byChannel.get(channel);
    if (!counters) {
      counters = { received: 0, sent: 0, failed: new Map(), sendLatency: new LatencyRing(this.window) };
      this.byChannel.set(channel, counters);
    }
    return counters;
  }
}
