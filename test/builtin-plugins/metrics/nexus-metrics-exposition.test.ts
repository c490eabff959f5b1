import { describe, expect, it } from 'vitest';
import type { ObservingHooks } from '@nexus/plugin-sdk';
import { NexusMetrics } from '../../../src/builtin-plugins/metrics/nexus-metrics.js';
import { PromClientReferenceMetrics } from './prom-client-reference.js';

type Fed = Pick<NexusMetrics, 'turnCompleted' | 'providerFailed' | 'toolExecuted' | 'messageReceived' | 'messageSent' | 'messageFailed'>;

type Event =
  | ['turn.completed', ObservingHooks['turn.completed']]
  | ['provider.failed', ObservingHooks['provider.failed']]
  | ['tool.executed', ObservingHooks['tool.executed']]
  | ['message.received', ObservingHooks['message.received']]
  | ['message.sent', ObservingHooks['message.sent']]
  | ['message.failed', ObservingHooks['message.failed']];

function feed(metrics: Fed, events: readonly Event[]): void {
  for (const [name, payload] of events) {
    if (name === 'turn.completed') metrics.turnCompleted(payload);
    else if (name === 'provider.failed') metrics.providerFailed(payload);
    else if (name === 'tool.executed') metrics.toolExecuted(payload);
    else if (name === 'message.received') metrics.messageReceived(payload);
    else if (name === 'message.sent') metrics.messageSent(payload);
    else metrics.messageFailed(payload);
  }
}

const none = { inputTokens: 0, outputTokens: 0 };
const turn = (channel: string, outcome: 'done' | 'error' | 'cancelled', durationMs: number, extra: Partial<ObservingHooks['turn.completed']> = {}): Event => [
  'turn.completed',
  { sessionId: 's', agentId: 'main', channel, durationMs, outcome, iterations: 1, usage: none, ...extra },
];
const tool = (name: string, durationMs: number, isError = false): Event => ['tool.executed', { sessionId: 's', tool: name, durationMs, isError }];
const received = (channel: string): Event => ['message.received', { channel, accountId: 'a', sessionId: 's', messageId: 'm' }];
const sent = (channel: string, latencyMs: number): Event => ['message.sent', { channel, accountId: 'a', sessionId: 's', messageId: 'r', latencyMs }];
const failed = (channel: string, code: string): Event => ['message.failed', { channel, accountId: 'a', code, message: 'down' }];
const providerFailed = (provider: string, reason: 'rate_limit' | 'auth', next: 'retry' | 'failover'): Event => ['provider.failed', { provider, model: 'm', reason, next }];

/** Several label sets per metric, first seen in interleaved order, values past the last bucket, floats that sum inexactly, label values that need escaping. */
const traffic: readonly Event[] = [
  received('webhook'),
  turn('webhook', 'done', 1500, { usage: { inputTokens: 1200, outputTokens: 300 }, provider: 'anthropic', model: 'claude' }),
  received('grpc'),
  turn('grpc', 'error', 400, { errorCode: 'rate_limit' }),
  turn('webhook', 'cancelled', 0),
  turn('webhook', 'done', 999_999, { usage: { inputTokens: 0, outputTokens: 7 }, provider: 'openai', model: 'gpt' }),
  turn('grpc', 'done', -5),
  turn('webhook', 'error', 100),
  turn('grpc', 'done', 100),
  turn('grpc', 'done', 200),
  turn('grpc', 'done', 300, { usage: { inputTokens: 5, outputTokens: 0 }, provider: 'anthropic', model: 'claude' }),
  turn('we"ird\\chan\nnel', 'done', 250, { errorCode: 'internal' }),
  turn('webhook', 'done', 2000, { usage: { inputTokens: 10, outputTokens: 20 }, provider: 'anthropic', model: 'claude' }),
  providerFailed('anthropic', 'rate_limit', 'retry'),
  providerFailed('openai', 'auth', 'failover'),
  providerFailed('anthropic', 'rate_limit', 'retry'),
  tool('search', 120),
  tool('fetch', 70_000, true),
  tool('search', 30, true),
  tool('search', 0),
  received('webhook'),
  sent('webhook', 12),
  sent('grpc', 3),
  sent('webhook', 40),
  failed('webhook', 'delivery_failed'),
  failed('grpc', 'turn_failed'),
  failed('webhook', 'delivery_failed'),
];

async function expositions(events: readonly Event[]) {
  const ours = new NexusMetrics();
  const reference = new PromClientReferenceMetrics();
  feed(ours, events);
  feed(reference, events);
  return { ours, reference };
}

describe('NexusMetrics exposition', () => {
  it('is exactly what prom-client\'s own counters and histograms wrote, for the same hooks', async () => {
    const { ours, reference } = await expositions(traffic);
    const rendered = await ours.render();
    expect(rendered.contentType).toBe(reference.registry.contentType);
    expect(rendered.text).toBe(await reference.registry.metrics());
    // The comparison is not vacuous: both label sets of a metric are there, escaped.
    expect(rendered.text).toContain('nexus_turns_total{channel="webhook",outcome="done"} 3');
    expect(rendered.text).toContain('nexus_turns_total{channel="grpc",outcome="done"} 4');
    expect(rendered.text).toContain('nexus_turns_total{channel="we\\"ird\\\\chan\\nnel",outcome="done"} 1');
  });

  it('matches with no traffic at all', async () => {
    const { ours, reference } = await expositions([]);
    expect((await ours.render()).text).toBe(await reference.registry.metrics());
  });

  it('matches again after the registry resets its metrics, series restarting in their new order', async () => {
    const { ours, reference } = await expositions(traffic);
    ours.registry.resetMetrics();
    reference.registry.resetMetrics();
    expect((await ours.render()).text).toBe(await reference.registry.metrics());

    const after: Event[] = [turn('grpc', 'done', 50), tool('fetch', 1), turn('webhook', 'done', 60), received('grpc'), failed('grpc', 'x')];
    feed(ours, after);
    feed(reference, after);
    const text = (await ours.render()).text;
    expect(text).toBe(await reference.registry.metrics());
    expect(text).toContain('nexus_turns_total{channel="webhook",outcome="done"} 1');
    expect(text.indexOf('channel="grpc",outcome="done"')).toBeLessThan(text.indexOf('channel="webhook",outcome="done"'));
  });

  it('rejects what prom-client rejected, with its messages, counting what it counted before the throw', async () => {
    const bad: readonly Event[] = [
      turn('webhook', 'done', Number.NaN),
      turn('webhook', 'done', 10, { usage: { inputTokens: Number.POSITIVE_INFINITY, outputTokens: 3 }, provider: 'p', model: 'm' }),
    ];
    const ours = new NexusMetrics();
    const reference = new PromClientReferenceMetrics();
    for (const event of bad) {
      const theirs = captureError(() => feed(reference, [event]));
      expect(theirs).toBeInstanceOf(Error);
      const mine = captureError(() => feed(ours, [event]));
      expect(mine?.constructor).toBe(theirs?.constructor);
      expect(mine?.message).toBe(theirs?.message);
    }
    // The NaN turn is counted but left no histogram series behind; the infinite tokens left no token series.
    const text = (await ours.render()).text;
    expect(text).toBe(await reference.registry.metrics());
    expect(text).toContain('nexus_turn_duration_seconds_count{channel="webhook",outcome="done"} 1');
    expect(text).not.toContain('nexus_llm_tokens_total{');
  });
});

function captureError(run: () => void): Error | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error as Error;
  }
}
