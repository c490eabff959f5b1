import { Gauge, Registry } from 'prom-client';
import type { ObservingHooks } from '@nexus/plugin-sdk';
import { ChannelStats } from './channel-stats.js';
import { LabelledCounter } from './labelled-counter.js';
import { LabelledHistogram } from './labelled-histogram.js';
import { MetricLabels } from './metric-labels.js';
import { processMetricsRegistry } from './process-metrics.js';

const TURN_BUCKETS = [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];
const TOOL_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];
const QUANTILES = [
  ['0.5', 'p50'],
  ['0.95', 'p95'],
  ['0.99', 'p99'],
] as const;

/**
 * Every metric Nexus exports, in a registry of its own (never prom-client's global one, so two
 * kernels in one process keep separate figures); only the process's own figures are shared
 * (process-metrics.ts). The hook-named methods take hook payloads; every label value they
 * export passes through `labels` first, so no caller can grow the exposition without bound.
 */
export class NexusMetrics {
  readonly registry = new Registry();
  readonly labels = new MetricLabels();
  readonly channels = new ChannelStats(1000);
  /** prom-client's standard set, once `collectProcessMetrics` has been called. */
  private processMetrics: Registry | undefined;

  // Counters and histograms fed per turn are our own, found by label values: prom-client's
  // validate-and-hash per call was most of this plugin's cost per turn (see series-index.ts).
  private readonly turns = new LabelledCounter({ name: 'nexus_turns_total', help: 'Agent turns finished, by channel and outcome.', labelNames: ['channel', 'outcome'], registry: this.registry });
  private readonly turnErrors = new LabelledCounter({ name: 'nexus_turn_errors_total', help: 'Agent turns that ended in an error, by error code.', labelNames: ['code'], registry: this.registry });
  private readonly turnSeconds = new LabelledHistogram({ name: 'nexus_turn_duration_seconds', help: 'Agent turn latency, from start to the last event.', labelNames: ['channel', 'outcome'], buckets: TURN_BUCKETS, registry: this.registry });
  private readonly tokens = new LabelledCounter({ name: 'nexus_llm_tokens_total', help: 'Tokens used by finished turns, by provider, model and direction (input or output).', labelNames: ['provider', 'model', 'direction'], registry: this.registry });
  private readonly providerErrors = new LabelledCounter({ name: 'nexus_provider_errors_total', help: 'Failed model calls, by provider, failure reason and what the failover chain did next.', labelNames: ['provider', 'reason', 'next'], registry: this.registry });
  private readonly toolCalls = new LabelledCounter({ name: 'nexus_tool_calls_total', help: 'Tool calls, by tool and outcome (ok or error).', labelNames: ['tool', 'outcome'], registry: this.registry });
  private readonly toolSeconds = new LabelledHistogram({ name: 'nexus_tool_duration_seconds', help: 'Tool call latency.', labelNames: ['tool'], buckets: TOOL_BUCKETS, registry: this.registry });
  private readonly received = new LabelledCounter({ name: 'nexus_channel_messages_received_total', help: 'Inbound messages stored, by channel.', labelNames: ['channel'], registry: this.registry });
  private readonly sent = new LabelledCounter({ name: 'nexus_channel_messages_sent_total', help: 'Replies delivered, by channel.', labelNames: ['channel'], registry: this.registry });
  private readonly failed = new LabelledCounter({ name: 'nexus_channel_messages_failed_total', help: 'Replies that could not be delivered, by channel and error code.', labelNames: ['channel', 'code'], registry: this.registry });

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

  /**
   * Adds prom-client's standard `process_*`/`nodejs_*` set (CPU, memory, event-loop lag, handles,
   * GC) to what `render` exports, after this kernel's own metrics. One set serves the whole
   * process (process-metrics.ts says why).
   */
  collectProcessMetrics(): void {
    this.processMetrics = processMetricsRegistry();
  }

  turnCompleted(turn: ObservingHooks['turn.completed']): void {
    const { labels } = this;
    const channel = labels.channel.of(turn.channel);
    const outcome = labels.outcome.of(turn.outcome);
    this.turns.inc(1, channel, outcome);
    this.turnSeconds.observe(Math.max(0, turn.durationMs) / 1000, channel, outcome);
    if (turn.outcome === 'error') this.turnErrors.inc(1, labels.turnErrorCode.of(turn.errorCode ?? 'unknown'));
    const provider = labels.provider.of(turn.provider ?? 'unknown');
    const model = labels.model.of(turn.model ?? 'unknown');
    if (turn.usage.inputTokens > 0) this.tokens.inc(turn.usage.inputTokens, provider, model, 'input');
    if (turn.usage.outputTokens > 0) this.tokens.inc(turn.usage.outputTokens, provider, model, 'output');
  }

  providerFailed(failure: ObservingHooks['provider.failed']): void {
    const { labels } = this;
    this.providerErrors.inc(1, labels.provider.of(failure.provider), labels.reason.of(failure.reason), labels.next.of(failure.next));
  }

  toolExecuted(call: ObservingHooks['tool.executed']): void {
    const tool = this.labels.tool.of(call.tool);
    this.toolCalls.inc(1, tool, call.isError ? 'error' : 'ok');
    this.toolSeconds.observe(Math.max(0, call.durationMs) / 1000, tool);
  }

  messageReceived(message: ObservingHooks['message.received']): void {
    const channel = this.labels.channel.of(message.channel);
    this.received.inc(1, channel);
    this.channels.received(channel);
  }

  messageSent(message: ObservingHooks['message.sent']): void {
    const channel = this.labels.channel.of(message.channel);
    this.sent.inc(1, channel);
    this.channels.sent(channel, message.latencyMs);
  }

  messageFailed(message: ObservingHooks['message.failed']): void {
    const channel = this.labels.channel.of(message.channel);
    const code = this.labels.deliveryCode.of(message.code);
    this.failed.inc(1, channel, code);
    this.channels.failed(channel, code);
  }

  /** The Prometheus text exposition of everything above. */
  async render(): Promise<{ readonly contentType: string; readonly text: string }> {
    const registry = this.processMetrics ? Registry.merge([this.registry, this.processMetrics]) : this.registry;
    return { contentType: registry.contentType, text: await registry.metrics() };
  }
}
