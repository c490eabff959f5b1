import { ChannelMetricsToken, ConfigToken, createToken, definePlugin, HttpRoutes } from '@nexus/plugin-sdk';
import { metricsRoute } from './metrics-route.js';
import { NexusMetrics } from './nexus-metrics.js';

/** The plugin's own registry, bound privately so `activate` reaches the one `register` made. */
const NexusMetricsBinding = createToken<NexusMetrics>('nexus.metrics.registry');

/**
 * Prometheus metrics at `/metrics` on the HTTP server: process metrics, turns, provider errors,
 * tool calls and channel traffic, all counted from hooks. Declaring the hooks in the manifest
 * makes the first of them load this plugin, so nothing is missed before the first scrape.
 */
export default definePlugin({
  register(ctx) {
    const metrics = new NexusMetrics();
    ctx.onHook('turn.completed', (turn) => metrics.turnCompleted(turn));
    ctx.onHook('provider.failed', (failure) => metrics.providerFailed(failure));
    ctx.onHook('tool.executed', (call) => metrics.toolExecuted(call));
    ctx.onHook('message.received', (message) => metrics.messageReceived(message));
    ctx.onHook('message.sent', (message) => metrics.messageSent(message));
    ctx.onHook('message.failed', (message) => metrics.messageFailed(message));
    ctx.contribute(HttpRoutes, '/metrics').toConstantValue(metricsRoute(metrics));
    ctx.provide(ChannelMetricsToken).toConstantValue(metrics.channels);
    ctx.bind(NexusMetricsBinding).toConstantValue(metrics);
  },

  activate(ctx) {
    const metrics = ctx.get(NexusMetricsBinding);
    metrics.labels.knowConfigured(ctx.get(ConfigToken));
    metrics.collectProcessMetrics();
  },
});
