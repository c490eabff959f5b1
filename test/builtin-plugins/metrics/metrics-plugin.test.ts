import perfHooks from 'node:perf_hooks';
import { describe, expect, it, vi } from 'vitest';
import {
  AuthError,
  ChannelMetricsToken,
  CredentialVerifierToken,
  type CredentialVerifier,
  type HookBus,
} from '@nexus/plugin-sdk';
import { verifyPluginContract } from '../../../src/kernel/testing/index.js';
import { call, metricsPluginDir, startHttp } from '../http/http-test-kit.js';

/** The gateway's verifier with no credentials configured: everyone is anonymous. */
const openVerifier: CredentialVerifier = {
  required: async () => false,
  verify: async () => ({ userId: 'anonymous', via: 'anonymous' }),
};

/** With credentials configured: only `Bearer scraper` gets in. */
const closedVerifier: CredentialVerifier = {
  required: async () => true,
  async verify(credentials) {
    if (credentials.authorization === 'Bearer scraper') return { userId: 'prometheus', via: 'api_key' };
    throw new AuthError('unauthenticated', 'a valid bearer token or x-api-key is required');
  },
};

async function emitTraffic(hooks: HookBus): Promise<void> {
  const usage = { inputTokens: 1200, outputTokens: 300 };
  await hooks.emit('turn.completed', { sessionId: 's1', agentId: 'main', channel: 'webhook', durationMs: 1500, outcome: 'done', iterations: 2, usage, provider: 'anthropic', model: 'claude' });
  await hooks.emit('turn.completed', { sessionId: 's2', agentId: 'main', channel: 'webhook', durationMs: 400, outcome: 'error', errorCode: 'rate_limit', iterations: 1, usage: { inputTokens: 0, outputTokens: 0 } });
  await hooks.emit('provider.failed', { provider: 'anthropic', model: 'claude', reason: 'rate_limit', status: 429, next: 'retry' });
  await hooks.emit('provider.failed', { provider: 'anthropic', model: 'claude', reason: 'rate_limit', status: 429, next: 'retry' });
  await hooks.emit('provider.failed', { provider: 'openai', model: 'gpt', reason: 'auth', status: 401, next: 'failover' });
  await hooks.emit('tool.executed', { sessionId: 's1', tool: 'search', durationMs: 120, isError: false });
  await hooks.emit('tool.executed', { sessionId: 's1', tool: 'search', durationMs: 30, isError: true });
  for (let i = 0; i < 3; i++) await hooks.emit('message.received', { channel: 'webhook', accountId: 'acme', sessionId: 's1', messageId: `m${i}` });
  for (let ms = 1; ms <= 100; ms++) await hooks.emit('message.sent', { channel: 'webhook', accountId: 'acme', sessionId: 's1', messageId: `r${ms}`, latencyMs: ms });
  await hooks.emit('message.failed', { channel: 'webhook', accountId: 'acme', sessionId: 's1', code: 'delivery_failed', message: 'callback down' });
}

describe('metrics plugin', () => {
  it('honours its manifest: binds the /metrics route and provides channel metrics', async () => {
    const report = await verifyPluginContract({ plugin: metricsPluginDir });
    expect(report).toEqual({ pluginId: 'metrics', resolved: ['httpRoutes:/metrics'], problems: [] });
  });

  it('exports process, turn, provider, tool and channel metrics after the hooks fire', async () => {
    const { kernel, url } = await startHttp({ with: [metricsPluginDir], services: [[CredentialVerifierToken, openVerifier]] });
    // The first hook loads the plugin: nothing before the first scrape is lost.
    await emitTraffic(kernel.hooks);
    const reply = await call(`${url}/metrics`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const lines = reply.text.split('\n');
    const has = (line: string) => expect(lines, `missing: ${line}`).toContain(line);

    expect(lines.some((l) => l.startsWith('process_cpu_user_seconds_total '))).toBe(true);
    expect(lines.some((l) => l.startsWith('nodejs_eventloop_lag_seconds '))).toBe(true);

    has('nexus_turns_total{channel="webhook",outcome="done"} 1');
    has('nexus_turns_total{channel="webhook",outcome="error"} 1');
    has('nexus_turn_errors_total{code="rate_limit"} 1');
    has('nexus_turn_duration_seconds_bucket{le="2",channel="webhook",outcome="done"} 1');
    has('nexus_turn_duration_seconds_bucket{le="1",channel="webhook",outcome="done"} 0');
    has('nexus_turn_duration_seconds_sum{channel="webhook",outcome="done"} 1.5');
    has('nexus_llm_tokens_total{provider="anthropic",model="claude",direction="input"} 1200');
    has('nexus_llm_tokens_total{provider="anthropic",model="claude",direction="output"} 300');

    has('nexus_provider_errors_total{provider="anthropic",reason="rate_limit",next="retry"} 2');
    has('nexus_provider_errors_total{provider="openai",reason="auth",next="failover"} 1');

    has('nexus_tool_calls_total{tool="search",outcome="ok"} 1');
    has('nexus_tool_calls_total{tool="search",outcome="error"} 1');
    has('nexus_tool_duration_seconds_count{tool="search"} 2');

    has('nexus_channel_messages_received_total{channel="webhook"} 3');
    has('nexus_channel_messages_sent_total{channel="webhook"} 100');
    has('nexus_channel_messages_failed_total{channel="webhook",code="delivery_failed"} 1');
    has('nexus_channel_send_latency_ms{channel="webhook",quantile="0.5"} 51');
    has('nexus_channel_send_latency_ms{channel="webhook",quantile="0.95"} 96');
    has('nexus_channel_send_latency_ms{channel="webhook",quantile="0.99"} 100');
    has('nexus_channel_send_latency_samples{channel="webhook"} 100');
  });

  it('serves the same channel figures as plain numbers through nexus.metrics.channels', async () => {
    const { kernel } = await startHttp({ with: [metricsPluginDir] });
    await emitTraffic(kernel.hooks);
    const channels = await kernel.services.get(ChannelMetricsToken);
    expect(channels.channels()).toEqual(['webhook']);
    expect(channels.snapshot('webhook')).toEqual({
      channel: 'webhook',
      received: 3,
      sent: 100,
      failed: { delivery_failed: 1 },
      sendLatency: { count: 100, min: 1, max: 100, mean: 50.5, p50: 51, p95: 96, p99: 100 },
    });
  });

  it('keeps two kernels\' figures apart', async () => {
    const first = await startHttp({ with: [metricsPluginDir], services: [[CredentialVerifierToken, openVerifier]] });
    const second = await startHttp({ with: [metricsPluginDir], services: [[CredentialVerifierToken, openVerifier]] });
    await emitTraffic(first.kernel.hooks);
    await second.kernel.hooks.emit('message.received', { channel: 'webhook', accountId: 'a', sessionId: 's', messageId: 'm' });
    expect((await call(`${first.url}/metrics`)).text).toContain('nexus_channel_messages_received_total{channel="webhook"} 3');
    expect((await call(`${second.url}/metrics`)).text).toContain('nexus_channel_messages_received_total{channel="webhook"} 1');
  });

  it('starts counting afresh in a kernel started after one stopped, with process metrics collected once per process', async () => {
    // prom-client's default metrics start an event-loop-delay monitor nothing stops: once per kernel, every restart leaked one.
    const monitors = vi.spyOn(perfHooks, 'monitorEventLoopDelay');
    try {
      for (let restart = 0; restart < 3; restart++) {
        const { kernel, url } = await startHttp({ with: [metricsPluginDir], services: [[CredentialVerifierToken, openVerifier]] });
        await kernel.hooks.emit('turn.completed', { sessionId: 's', agentId: 'main', channel: 'webhook', durationMs: 100, outcome: 'done', iterations: 1, usage: { inputTokens: 0, outputTokens: 0 } });
        const lines = (await call(`${url}/metrics`)).text.split('\n');
        expect(lines).toContain('nexus_turns_total{channel="webhook",outcome="done"} 1');
        expect(lines.filter((l) => l.startsWith('process_cpu_user_seconds_total '))).toHaveLength(1);
        expect(lines.some((l) => l.startsWith('nodejs_eventloop_lag_p99_seconds '))).toBe(true);
        await kernel.stop();
      }
      // None if an earlier test in this process already started the one monitor.
      expect(monitors.mock.calls.length).toBeLessThanOrEqual(1);
    } finally {
      monitors.mockRestore();
    }
  });

  it('needs a credential once any is configured, and fails closed without a verifier', async () => {
    const guarded = await startHttp({ with: [metricsPluginDir], services: [[CredentialVerifierToken, closedVerifier]] });
    expect((await call(`${guarded.url}/metrics`)).status).toBe(401);
    expect((await call(`${guarded.url}/metrics`, { headers: { authorization: 'Bearer scraper' } })).status).toBe(200);

    const unguarded = await startHttp({ with: [metricsPluginDir] });
    expect(await call(`${unguarded.url}/metrics`)).toMatchObject({ status: 503, body: { error: { code: 'auth_unavailable' } } });
  });

  it('answers only GET and HEAD at exactly /metrics', async () => {
    const { url } = await startHttp({ with: [metricsPluginDir], services: [[CredentialVerifierToken, openVerifier]] });
    expect((await call(`${url}/metrics`, { method: 'POST' })).status).toBe(405);
    expect((await call(`${url}/metrics/extra`)).status).toBe(404);
  });
});
