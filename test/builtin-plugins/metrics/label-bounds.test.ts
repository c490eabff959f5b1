import { describe, expect, it } from 'vitest';
import { CredentialVerifierToken, type ConfigAccess, type CredentialVerifier, type ObservingHooks } from '@nexus/plugin-sdk';
import { LabelValues } from '../../../src/builtin-plugins/metrics/label-values.js';
import { NexusMetrics } from '../../../src/builtin-plugins/metrics/nexus-metrics.js';
import { call, metricsPluginDir, startHttp } from '../http/http-test-kit.js';

const openVerifier: CredentialVerifier = {
  required: async () => false,
  verify: async () => ({ userId: 'anonymous', via: 'anonymous', role: 'admin' }),
};

function turn(index: number, extra: Partial<ObservingHooks['turn.completed']> = {}): ObservingHooks['turn.completed'] {
  return {
    sessionId: `s${index}`,
    agentId: `agent-${index}`,
    channel: 'webhook',
    durationMs: 100,
    outcome: 'done',
    iterations: 1,
    usage: { inputTokens: 10, outputTokens: 5 },
    provider: 'anthropic',
    model: `model-${index}`,
    ...extra,
  };
}

function configWith(llm: unknown): ConfigAccess {
  return { path: undefined, home: '/nonexistent', section: <T>(name: string) => (name === 'llm' ? (llm as T) : undefined) };
}

describe('LabelValues', () => {
  it('passes known values and the first spare ones, and makes everything after them other', () => {
    const values = new LabelValues(2, ['claude']);
    expect(['claude', 'a', 'b', 'c', 'a', 'claude', 'd'].map((value) => values.of(value))).toEqual(['claude', 'a', 'b', 'other', 'a', 'claude', 'other']);
  });

  it('admits values made known later without using up a spare slot', () => {
    const values = new LabelValues(0);
    expect(values.of('anthropic')).toBe('other');
    values.know(['anthropic']);
    expect(values.of('anthropic')).toBe('anthropic');
  });
});

describe('label cardinality of NexusMetrics', () => {
  it('exports configured providers and models as themselves and 200 unconfigured models as a few series and other', async () => {
    const metrics = new NexusMetrics();
    metrics.labels.knowConfigured(configWith({ providers: { work: { type: 'anthropic', default_model: 'claude-work' } }, fallbacks: ['openai/gpt-4o'] }));
    for (let i = 0; i < 200; i++) metrics.turnCompleted(turn(i));
    metrics.turnCompleted(turn(200, { provider: 'work', model: 'claude-work' }));
    metrics.turnCompleted(turn(201, { provider: 'openai', model: 'gpt-4o' }));
    const text = (await metrics.render()).text;
    const tokenSeries = text.split('\n').filter((line) => line.startsWith('nexus_llm_tokens_total{'));
    expect(tokenSeries).toContain('nexus_llm_tokens_total{provider="work",model="claude-work",direction="input"} 10');
    expect(tokenSeries).toContain('nexus_llm_tokens_total{provider="openai",model="gpt-4o",direction="input"} 10');
    // 8 spare model names, then every other model is one series per direction.
    expect(tokenSeries).toContain(`nexus_llm_tokens_total{provider="anthropic",model="other",direction="input"} ${192 * 10}`);
    expect(tokenSeries).toHaveLength((8 + 1 + 2) * 2);
  });

  it('bounds channels, tools, error codes and provider names from hooks, in the channel figures too', async () => {
    const metrics = new NexusMetrics();
    for (let i = 0; i < 300; i++) {
      metrics.turnCompleted(turn(i, { channel: `chan-${i}`, outcome: 'error', errorCode: `code-${i}` as never, provider: `p-${i}` }));
      metrics.toolExecuted({ sessionId: 's', tool: `tool-${i}`, durationMs: 1, isError: false });
      metrics.providerFailed({ provider: `p-${i}`, model: 'm', reason: `reason-${i}` as never, next: `next-${i}` as never });
      metrics.messageReceived({ channel: `chan-${i}`, accountId: 'a', sessionId: 's', messageId: 'm' });
      metrics.messageSent({ channel: `chan-${i}`, accountId: 'a', sessionId: 's', messageId: 'r', latencyMs: 5 });
      metrics.messageFailed({ channel: `chan-${i}`, accountId: 'a', code: `failure-${i}`, message: 'down' });
    }
    const lines = (await metrics.render()).text.split('\n');
    const series = (name: string) => lines.filter((line) => line.startsWith(`${name}{`));
    expect(series('nexus_turns_total')).toHaveLength(16 + 1);
    expect(series('nexus_turn_errors_total')).toHaveLength(4 + 1);
    expect(series('nexus_tool_calls_total')).toHaveLength(32 + 1);
    // Provider names have 4 spare slots; reasons and next steps are enumerations with none.
    expect(series('nexus_provider_errors_total')).toHaveLength(4 + 1);
    expect(lines).toContain('nexus_provider_errors_total{provider="other",reason="other",next="other"} 296');
    // The first 8 channels take the 8 spare codes; every later pair is (channel or other, other).
    expect(series('nexus_channel_messages_failed_total')).toHaveLength(8 + (16 - 8) + 1);
    expect(series('nexus_channel_send_latency_samples')).toHaveLength(16 + 1);
    expect(lines).toContain('nexus_channel_messages_received_total{channel="other"} 284');
    expect(metrics.channels.channels()).toHaveLength(17);
    expect(metrics.channels.snapshot('other').failed).toEqual({ other: 284 });
  });

  it('keeps /metrics small after 200 agents with their own models, in a running kernel', async () => {
    const { kernel, url } = await startHttp({ with: [metricsPluginDir], services: [[CredentialVerifierToken, openVerifier]] });
    await kernel.hooks.emit('turn.completed', turn(0));
    const baseline = (await call(`${url}/metrics`)).text.length;
    for (let i = 1; i < 200; i++) await kernel.hooks.emit('turn.completed', turn(i));
    const text = (await call(`${url}/metrics`)).text;
    expect(text).toContain('model="other"');
    // Without the bound each new model added two series (~170 bytes); with it, 8 spare models and other.
    expect(text.length - baseline).toBeLessThan(4_000);
  });
});
