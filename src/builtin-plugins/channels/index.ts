import { CliCommands, definePlugin, DoctorChecks } from '@nexus/plugin-sdk';
import { ChannelsCommand } from './channels-command.js';
import { ChannelPolicyCheck } from './policy-check.js';

/**
 * The operator's side of the channels: `nexus channels` and the `channels-policy` doctor check.
 * It owns no channel; it asks the channel plugins (their login, outbound and health
 * capabilities), the pairing store and the running gateway.
 */
export default definePlugin({
  register(ctx) {
    ctx.contribute(CliCommands, 'channels').to(ChannelsCommand);
    ctx.contribute(DoctorChecks, 'channels-policy').to(ChannelPolicyCheck);
  },
});
