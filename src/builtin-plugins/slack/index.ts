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
import { createSlackRuntime, type SlackRuntime } from './slack-runtime.js';

const RuntimeSlotBinding = createToken<ChannelRuntimeSlot<SlackRuntime>>('nexus.slack.runtime');

/**
 * The Slack channel (Socket Mode). Activated only when `channels.slack.accounts` is set; every
 * capability of the split channel contract is bound under the channel name `slack`, all backed
 * by one runtime holding an engine per account. Deactivation (a stop, a reload, a disable) closes
 * every account's connection, if the runtime was built.
 */
export default definePlugin({
  register(ctx) {
    const slot = new ChannelRuntimeSlot<SlackRuntime>((runtime) => runtime.channel);
    ctx.bind(RuntimeSlotBinding).toConstantValue(slot);
    const runtime = (c: ResolutionContext) => slot.get(() => createSlackRuntime({ config: c.get(ConfigToken), clock: c.get(ClockToken), logger: c.get(LoggerToken), services: c.get(ServicesToken) }));
    ctx.contribute(ChannelLifecycles, 'slack').toDynamicValue((c) => runtime(c).channel);
    ctx.contribute(ChannelInbounds, 'slack').toDynamicValue((c) => runtime(c).channel);
    ctx.contribute(ConversationResolvers, 'slack').toDynamicValue((c) => runtime(c).channel);
    ctx.contribute(ChannelOutbounds, 'slack').toDynamicValue((c) => runtime(c).outbound);
    ctx.contribute(ChannelHealths, 'slack').toDynamicValue((c) => runtime(c).health);
    ctx.contribute(ChannelLogins, 'slack').toDynamicValue((c) => runtime(c).login);
    ctx.contribute(ChannelReplyStreams, 'slack').toDynamicValue((c) => runtime(c).replies);
    ctx.contribute(DoctorChecks, 'slack-probe').toDynamicValue((c) => runtime(c).probeCheck);
  },

  async deactivate(ctx) {
    await ctx.get(RuntimeSlotBinding).stop();
  },
});
