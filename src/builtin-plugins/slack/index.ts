import { ClockToken, ConfigToken, DoctorChecks, LoggerToken, ServicesToken } from '@nexus/plugin-sdk';
import { defineChannelPlugin } from '@nexus/plugin-sdk/channel';
import { createSlackRuntime, type SlackRuntime } from './slack-runtime.js';

/**
 * The Slack channel (Socket Mode). Activated only when `channels.slack.accounts` is set; every
 * capability of the split channel contract is bound under the channel name `slack`, all backed
 * by one runtime holding an engine per account, whose connections close on deactivation.
 */
export default defineChannelPlugin<SlackRuntime>({
  channel: 'slack',
  create: (c) => createSlackRuntime({ config: c.get(ConfigToken), clock: c.get(ClockToken), logger: c.get(LoggerToken), services: c.get(ServicesToken) }),
  capabilities: (runtime) => ({
    lifecycle: runtime.channel,
    inbound: runtime.channel,
    conversation: runtime.channel,
    outbound: runtime.outbound,
    health: runtime.health,
    login: runtime.login,
    replies: runtime.replies,
  }),
  register: (ctx, runtime) => ctx.contribute(DoctorChecks, 'slack-probe').toDynamicValue((c) => runtime(c).probeCheck),
});
