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
  LoggerToken,
  ServicesToken,
  type ResolutionContext,
} from '@nexus/plugin-sdk';
import { ChannelRuntimeSlot } from '@nexus/plugin-sdk/channel';
import { createDiscordRuntime, type DiscordRuntime } from './discord-runtime.js';

const RuntimeSlotBinding = createToken<ChannelRuntimeSlot<DiscordRuntime>>('nexus.discord.runtime');

/**
 * The Discord channel (a bot on the gateway). Activated only when `channels.discord.accounts` is set; every
 * capability of the split channel contract is bound under the channel name `discord`, all backed
 * by one runtime holding an engine per account. Deactivation (a stop, a reload, a disable) closes
 * every account's connection, if the runtime was built.
 */
export default definePlugin({
  register(ctx) {
    const slot = new ChannelRuntimeSlot<DiscordRuntime>((runtime) => runtime.channel);
    ctx.bind(RuntimeSlotBinding).toConstantValue(slot);
    const runtime = (c: ResolutionContext) => slot.get(() => createDiscordRuntime({ config: c.get(ConfigToken), clock: c.get(ClockToken), logger: c.get(LoggerToken), services: c.get(ServicesToken) }));
    ctx.contribute(ChannelLifecycles, 'discord').toDynamicValue((c) => runtime(c).channel);
    ctx.contribute(ChannelInbounds, 'discord').toDynamicValue((c) => runtime(c).channel);
    ctx.contribute(ConversationResolvers, 'discord').toDynamicValue((c) => runtime(c).channel);
    ctx.contribute(ChannelOutbounds, 'discord').toDynamicValue((c) => runtime(c).outbound);
    ctx.contribute(ChannelHealths, 'discord').toDynamicValue((c) => runtime(c).health);
    ctx.contribute(ChannelLogins, 'discord').toDynamicValue((c) => runtime(c).login);
    ctx.contribute(ChannelReplyStreams, 'discord').toDynamicValue((c) => runtime(c).replies);
    ctx.contribute(DoctorChecks, 'discord-probe').toDynamicValue((c) => runtime(c).probeCheck);
  },

  async deactivate(ctx) {
    await ctx.get(RuntimeSlotBinding).stop();
  },
});
