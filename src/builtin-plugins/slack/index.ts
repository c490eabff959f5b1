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
} from '@nexus/plugin-sdk';
import { createSlackRuntime, type SlackRuntime } from './slack-runtime.js';

const RuntimeBinding = createToken<SlackRuntime>('nexus.slack.runtime');

/**
 * The Slack channel (Socket Mode). Activated only when `channels.slack.accounts` is set; every
 * capability of the split channel contract is bound under the channel name `slack`, all backed
 * by one runtime holding an engine per account.
 */
export default definePlugin({
  register(ctx) {
    ctx.bind(RuntimeBinding).toDynamicValue((c) => createSlackRuntime({ config: c.get(ConfigToken), clock: c.get(ClockToken), logger: c.get(LoggerToken), services: c.get(ServicesToken) }));
    const runtime = (c: { get: <T>(token: symbol) => T }) => c.get<SlackRuntime>(RuntimeBinding);
    ctx.contribute(ChannelLifecycles, 'slack').toDynamicValue((c) => runtime(c).channel);
    ctx.contribute(ChannelInbounds, 'slack').toDynamicValue((c) => runtime(c).channel);
    ctx.contribute(ConversationResolvers, 'slack').toDynamicValue((c) => runtime(c).channel);
    ctx.contribute(ChannelOutbounds, 'slack').toDynamicValue((c) => runtime(c).outbound);
    ctx.contribute(ChannelHealths, 'slack').toDynamicValue((c) => runtime(c).health);
    ctx.contribute(ChannelLogins, 'slack').toDynamicValue((c) => runtime(c).login);
    ctx.contribute(ChannelReplyStreams, 'slack').toDynamicValue((c) => runtime(c).replies);
    ctx.contribute(DoctorChecks, 'slack-probe').toDynamicValue((c) => runtime(c).probeCheck);
  },
});
