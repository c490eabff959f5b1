import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ObservingHooks } from '@nexus/plugin-sdk';
import { ChannelStats } from '../../../src/builtin-plugins/metrics/channel-stats.js';

const TURN_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];
const TOOL_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
const QUANTILES = [
  ['0.5', 'p50'],
  ['0.95', 'p95'],
  ['0.99', 'p99'],
] as const;

/**
 * The plugin's metrics as they were defined on prom-client's own `Counter` and `Histogram`, fed
 * with label objects, before the per-turn path moved to LabelledCounter/LabelledHistogram. The
 * exposition tests hold NexusMetrics to producing exactly this text. Process metrics left out.
 */
export class PromClientReferenceMetrics {
  readonly registry = new Registry();
  readonly channels = new ChannelStats(1000);

  private readonly turns = new Counter({ name: 'nexus_turns_total', help: 'Agent turns finished, by channel and outcome.', labelNames: ['channel', 'outcome'], registers: [this.registry] });
  private readonly turnErrors = new Counter({ name: 'nexus_turn_errors_total', help: 'Agent turns that ended in an error, by error code.', labelNames: ['code'], registers: [this.registry] });
  private readonly turnSeconds = new Histogram({ name: 'nexus_turn_duration_seconds', help: 'Agent turn latency, from start to the last event.', labelNames: ['channel', 'outcome'], buckets: TURN_BUCKETS, registers: [this.registry] });
  private readonly tokens = new Counter({ name: 'nexus_llm_tokens_total', help: 'Tokens used by finished turns, by provider, model and direction (input or output).', labelNames: ['provider', 'model', 'direction'], registers: [this.registry] });
  private readonly providerErrors = new Counter({ name: 'nexus_provider_errors_total', help: 'Failed model calls, by provider, failure reason and what the failover chain did next.', labelNames: ['provider', 'reason', 'next'], registers: [this.registry] });
  private readonly toolCalls = new Counter({ name: 'nexus_tool_calls_total', help: 'Tool calls, by tool and outcome (ok or error).', labelNames: ['tool', 'outcome'], registers: [this.registry] });
  private readonly toolSeconds = new Histogram({ name: 'nexus_tool_duration_seconds', help: 'Tool call latency.', labelNames: ['tool'], buckets: TOOL_BUCKETS, registers: [this.registry] });
  private readonly received = new Counter({ name: 'nexus_channel_messages_received_total', help: 'Inbound messages stored, by channel.', labelNames: ['channel'], registers: [this.registry] });
  private readonly sent = new Counter({ name: 'nexus_channel_messages_sent_total', help: 'Replies delivered, by channel.', labelNames: ['channel'], registers: [this.registry] });
  private readonly failed = new Counter({ name: 'nexus_channel_messages_failed_total', help: 'Replies that could not be delivered, by channel and error code.', labelNames: ['channel', 'code'], registers: [this.registry] });

  constructor() {
    const channels = this.channels;
    new Gauge({
      name: 'nexus_channel_send_latency_ms',
      help: 'Send latency percentiles over each channel\'s last 1000 deliveries, in milliseconds.',
      labelNames: ['channel', 'quantile'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const channel of channels.channels()) {
          const latency = channels.snapshot(channel).sendLatency;
          if (latency.count === 0) continue;
          for (const [quantile, key] of QUANTILES) this.set({ channel, quantile }, latency[key]);
        }
      },
    });
    new Gauge({
      name: 'nexus_channel_send_latency_samples',
      help: 'Deliveries in each channel\'s latency window (at most 1000).',
      labelNames: ['channel'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const channel of channels.channels()) this.set({ channel }, channels.snapshot(channel).sendLatency.count);
      },
    });
  }

  turnCompleted(turn: ObservingHooks['turn.completed']): void {
    const labels = { channel: turn.channel, outcome: turn.outcome };
    this.turns.inc(labels);
    this.turnSeconds.observe(labels, Math.max(0, turn.durationMs) / 1000);
    if (turn.outcome === 'error') this.turnErrors.inc({ code: turn.errorCode ?? 'unknown' });
    const usage = { provider: turn.provider ?? 'unknown', model: turn.model ?? 'unknown' };
    if (turn.usage.inputTokens > 0) this.tokens.inc({ ...usage, direction: 'input' }, turn.usage.inputTokens);
    if (turn.usage.outputTokens > 0) this.tokens.inc({ ...usage, direction: 'output' }, turn.usage.outputTokens);
  }

  providerFailed(failure: ObservingHooks['provider.failed']): void {
    this.providerErrors.inc({ provider: failure.provider, reason: failure.reason, next: failure.next });
  }

  toolExecuted(call: ObservingHooks['tool.executed']): void {
    this.toolCalls.inc({ tool: call.tool, outcome: call.isError ? 'error' : 'ok' });
    this.toolSeconds.observe({ tool: call.tool }, Math.max(0, call.durationMs) / 1000);
  }

  messageReceived(message: ObservingHooks['message.received']): void {
    this.received.inc({ channel: message.channel });
    this.channels.received(message.channel);
  }

  messageSent(message: ObservingHooks['message.sent']): void {
    this.sent.inc({ channel: message.channel });
    this.channels.sent(message.channel, message.latencyMs);
  }

  messageFailed(message: ObservingHooks['message.failed']): void {
    this.failed.inc({ channel: message.channel, code: message.code });
    this.channels.failed(message.channel, message.code);
  }

  /** The Prometheus text exposition of everything above. */
  async render(): Promise<{ readonly contentType: string; readonly text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
