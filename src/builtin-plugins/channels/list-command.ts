import type { CliCommandContext, ConfigAccess, LivePluginState } from '@nexus/plugin-sdk';
import { configuredAccounts } from './channel-accounts.js';

/** `nexus channels list`: installed channel plugins, their accounts and each account's policy. */
export async function listChannels(ctx: CliCommandContext, config: ConfigAccess, plugins: readonly LivePluginState[]): Promise<number> {
  const accounts = configuredAccounts(config);
  const channels = plugins
    .flatMap((plugin) => plugin.channels.map((channel) => ({ channel, plugin })))
    .sort((a, b) => a.channel.localeCompare(b.channel))
    .map(({ channel, plugin }) => ({
      channel,
      plugin: plugin.id,
      enabled: plugin.enabled,
      state: plugin.state,
      accounts: accounts
        .filter((a) => a.channel === channel)
        .map((a) => ({ name: a.name, dmPolicy: a.policy.dmPolicy, groupPolicy: a.policy.groupPolicy, allowFrom: a.policy.allowFrom, requireMention: a.policy.requireMention })),
    }));
  if (ctx.options.json === true) {
    ctx.stdout(`${JSON.stringify(channels, null, 2)}\n`);
    return 0;
  }
  if (channels.length === 0) {
    ctx.stdout('No channel plugin is installed.\n');
    return 0;
  }
  for (const entry of channels) {
    const state = entry.enabled ? entry.state : 'disabled';
    ctx.stdout(`${entry.channel}  (plugin ${entry.plugin}, ${state})\n`);
    if (entry.accounts.length === 0) ctx.stdout(`  no accounts: configure channels.${entry.channel}.accounts.<name>\n`);
    for (const account of entry.accounts) {
      const allow = account.allowFrom.length === 0 ? 'nobody' : account.allowFrom.includes('*') ? 'everyone (*)' : `${account.allowFrom.length} id(s)`;
      ctx.stdout(`  ${account.name}  DMs: ${account.dmPolicy}  groups: ${account.groupPolicy}${account.groupPolicy === 'disabled' ? '' : account.requireMention ? ', mention required' : ', no mention needed'}  allow_from: ${allow}\n`);
    }
  }
  return 0;
}
