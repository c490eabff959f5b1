import {
  ChannelHealths,
  ChannelInbounds,
  ChannelLifecycles,
  ChannelOutbounds,
  ClockToken,
  ConfigToken,
  ConversationResolvers,
  createToken,
  definePlugin,
  DoctorChecks,
  HttpRoutes,
  LoggerToken,
  ServicesToken,
  TaskTrackerToken,
} from '@nexus/plugin-sdk';
import { policyCheck, probeCheck } from './doctor-checks.js';
import { inboundRoute } from './inbound-route.js';
import { createWebhookRuntime, type WebhookRuntime } from './webhook-runtime.js';

const RuntimeBinding = createToken<WebhookRuntime>('nexus.webhook.runtime');

/**
 * The webhook channel: integrators POST signed messages to /channels/webhook/<account> and get
 * signed replies POSTed to the account's callback URL. Each capability of the split channel
 * contract is bound under the channel name `webhook`, all backed by one runtime.
 */
export default definePlugin({
  register(ctx) {
    ctx
      .bind(RuntimeBinding)
      .toDynamicValue((c) =>
        createWebhookRuntime({ config: c.get(ConfigToken), clock: c.get(ClockToken), logger: c.get(LoggerToken), tasks: c.get(TaskTrackerToken), services: c.get(ServicesToken) }),
      );
    const runtime = (c: { get: <T>(token: symbol) => T }) => c.get<WebhookRuntime>(RuntimeBinding);
    ctx.contribute(ChannelLifecycles, 'webhook').toDynamicValue((c) => runtime(c).channel);
    ctx.contribute(ChannelInbounds, 'webhook').toDynamicValue((c) => runtime(c).channel);
    ctx.contribute(ConversationResolvers, 'webhook').toDynamicValue((c) => runtime(c).channel);
    ctx.contribute(ChannelOutbounds, 'webhook').toDynamicValue((c) => runtime(c).sender);
    ctx.contribute(ChannelHealths, 'webhook').toDynamicValue((c) => runtime(c).health);
    ctx.contribute(HttpRoutes, '/channels/webhook').toDynamicValue((c) => inboundRoute(runtime(c)));
    ctx.contribute(DoctorChecks, 'webhook-policy').toDynamicValue((c) => policyCheck(runtime(c).settings));
    ctx.contribute(DoctorChecks, 'webhook-probe').toDynamicValue((c) => probeCheck(runtime(c).settings, runtime(c).deadLetters));
  },
});
