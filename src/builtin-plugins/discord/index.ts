import { ClockToken, ConfigToken, DoctorChecks, LoggerToken, ServicesToken } from '@nexus/plugin-sdk';
import { defineChannelPlugin } from '@nexus/plugin-sdk/channel';
import { createDiscordRuntime, type DiscordRuntime } from './discord-runtime.js';

/**
 * The Discord channel (a bot on the gateway). Activated only when `channels.discord.accounts` is set; every
 * capability of the split channel contract is bound under the channel name `discord`, all backed
 * by one runtime holding an engine per account, whose connections close on deactivation.
 */
export default defineChannelPlugin<DiscordRuntime>({
  channel: 'discord',
  create: (c) => createDiscordRuntime({ config: c.get(ConfigToken), clock: c.get(ClockToken), logger: c.get(LoggerToken), services: c.get(ServicesToken) }),
  capabilities: (runtime) => ({
    lifecycle: runtime.channel,
    inbound: runtime.channel,
    conversation: runtime.channel,
    outbound: runtime.outbound,
    health: runtime.health,
    login: runtime.login,
    replies: runtime.replies,
  }),
  register: (ctx, runtime) => ctx.contribute(DoctorChecks, 'discord-probe').toDynamicValue((c) => runtime(c).probeCheck),
});
