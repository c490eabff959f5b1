import { ClockToken, ConfigToken, DoctorChecks, HttpRoutes, LoggerToken, Migrations, ServicesToken, TaskTrackerToken } from '@nexus/plugin-sdk';
import { defineChannelPlugin } from '@nexus/plugin-sdk/channel';
import { channelLogin } from './channel-login.js';
import { policyCheck, probeCheck } from './doctor-checks.js';
import { TELEGRAM_MIGRATIONS } from './offset-migrations.js';
import { createTelegramRuntime, type TelegramRuntime } from './telegram-runtime.js';
import { WEBHOOK_ROUTE_PREFIX, webhookRoute } from './webhook-route.js';

/**
 * The Telegram channel: every bot in `channels.telegram.accounts`, over long polling or a
 * webhook, bound under the channel name `telegram` with each capability of the split channel
 * contract, all backed by one runtime. The manifest enables the plugin only when an account is
 * configured, so an installed but unconfigured channel imports nothing (grammY included).
 * Deactivation (a stop, a reload, a disable) ends the runtime's pollers and webhook keepers, if
 * it was built.
 */
export default defineChannelPlugin<TelegramRuntime>({
  channel: 'telegram',
  create: (c) => createTelegramRuntime({ config: c.get(ConfigToken), services: c.get(ServicesToken), clock: c.get(ClockToken), tasks: c.get(TaskTrackerToken), logger: c.get(LoggerToken) }),
  capabilities: ({ channel }) => ({
    lifecycle: channel,
    inbound: channel,
    conversation: channel,
    outbound: channel,
    health: channel,
    login: channelLogin(async () => channel),
    replies: channel,
  }),
  register(ctx, runtime) {
    // The webhook route and the doctor checks build the runtime only when they are used.
    const channel = async (c: Parameters<typeof runtime>[0]) => runtime(c).channel;
    ctx.contribute(HttpRoutes, WEBHOOK_ROUTE_PREFIX).toDynamicValue((c) => webhookRoute(() => channel(c)));
    ctx.contribute(DoctorChecks, 'telegram-policy').toDynamicValue((c) => policyCheck(() => channel(c)));
    ctx.contribute(DoctorChecks, 'telegram-probe').toDynamicValue((c) => probeCheck(() => channel(c)));
    ctx.contribute(Migrations, 'telegram').toConstantValue({ migrations: TELEGRAM_MIGRATIONS });
  },
});
