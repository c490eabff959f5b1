import {
  ChannelHealths,
  ChannelInbounds,
  ChannelLifecycles,
  ChannelLogins,
  ChannelOutbounds,
  ChannelReplyStreams,
  ClockToken,
  ConfigToken,
  ConversationResolvers,
  createToken,
  definePlugin,
  DoctorChecks,
  HttpRoutes,
  LoggerToken,
  Migrations,
  ServicesToken,
  TaskTrackerToken,
  type ResolutionContext,
} from '@nexus/plugin-sdk';
import { ChannelRuntimeSlot } from '@nexus/plugin-sdk/channel';
import { channelLogin } from './channel-login.js';
import { policyCheck, probeCheck } from './doctor-checks.js';
import { TELEGRAM_MIGRATIONS } from './offset-migrations.js';
import { createTelegramRuntime, type TelegramRuntime } from './telegram-runtime.js';
import { WEBHOOK_ROUTE_PREFIX, webhookRoute } from './webhook-route.js';

const RuntimeSlotBinding = createToken<ChannelRuntimeSlot<TelegramRuntime>>('nexus.telegram.runtime');

/**
 * The Telegram channel: every bot in `channels.telegram.accounts`, over long polling or a
 * webhook, bound under the channel name `telegram` with each capability of the split channel
 * contract (lifecycle, inbound, outbound, health, login, conversation, replies), all backed by
 * one runtime. The manifest enables the plugin only when an account is configured, so an
 * installed but unconfigured channel imports nothing (grammY included). Deactivation (a stop, a
 * reload, a disable) ends the runtime's pollers and webhook keepers, if it was built.
 */
export default definePlugin({
  register(ctx) {
    const slot = new ChannelRuntimeSlot<TelegramRuntime>((runtime) => runtime.channel);
    ctx.bind(RuntimeSlotBinding).toConstantValue(slot);
    const channel = (c: ResolutionContext) =>
      slot.get(() => createTelegramRuntime({ config: c.get(ConfigToken), services: c.get(ServicesToken), clock: c.get(ClockToken), tasks: c.get(TaskTrackerToken), logger: c.get(LoggerToken) })).channel;
    ctx.contribute(ChannelLifecycles, 'telegram').toDynamicValue(channel);
    ctx.contribute(ChannelInbounds, 'telegram').toDynamicValue(channel);
    ctx.contribute(ChannelOutbounds, 'telegram').toDynamicValue(channel);
    ctx.contribute(ChannelHealths, 'telegram').toDynamicValue(channel);
    ctx.contribute(ConversationResolvers, 'telegram').toDynamicValue(channel);
    ctx.contribute(ChannelReplyStreams, 'telegram').toDynamicValue(channel);
    ctx.contribute(ChannelLogins, 'telegram').toDynamicValue((c) => channelLogin(async () => channel(c)));
    ctx.contribute(HttpRoutes, WEBHOOK_ROUTE_PREFIX).toDynamicValue((c) => webhookRoute(async () => channel(c)));
    ctx.contribute(DoctorChecks, 'telegram-policy').toDynamicValue((c) => policyCheck(async () => channel(c)));
    ctx.contribute(DoctorChecks, 'telegram-probe').toDynamicValue((c) => probeCheck(async () => channel(c)));
    ctx.contribute(Migrations, 'telegram').toConstantValue({ migrations: TELEGRAM_MIGRATIONS });
  },

  async deactivate(ctx) {
    await ctx.get(RuntimeSlotBinding).stop();
  },
});
