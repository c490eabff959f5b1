import { ChannelCapabilityTokens, CliUsageError, type ConfigAccess, type ContributionRegistry, type LivePluginState } from '@nexus/plugin-sdk';
import { accountsOf, type ConfiguredAccount } from './channel-accounts.js';

/** What every sub-command resolves names against: the plugins' channels and the configured accounts. */
export class ChannelNames {
  constructor(
    private readonly config: ConfigAccess,
    private readonly contributions: ContributionRegistry,
    private readonly plugins: () => Promise<readonly LivePluginState[]>,
  ) {}

  /** Channels an enabled plugin provides (from manifests: no plugin code loads). */
  enabled(): string[] {
    return [...new Set(Object.values(ChannelCapabilityTokens).flatMap((token) => this.contributions.names(token)))].sort();
  }

  /** `channel` if an enabled plugin provides it; else a usage error listing what there is. */
  async require(channel: string): Promise<string> {
    const enabled = this.enabled();
    if (enabled.includes(channel)) return channel;
    const installed = (await this.plugins()).find((p) => p.channels.includes(channel));
    if (installed) {
      throw new CliUsageError(`channel "${channel}" (plugin ${installed.id}) is installed but not enabled (${installed.state}): configure an account under channels.${channel}.accounts, or \`nexus plugins enable ${installed.id}\``);
    }
    throw new CliUsageError(`unknown channel "${channel}": ${enabled.length > 0 ? `enabled channels are ${enabled.join(', ')}` : 'no channel plugin is enabled'} (see \`nexus channels list\`)`);
  }

  /** The account to act on: `--account`, else the channel's only one. */
  account(channel: string, name: string | undefined): ConfiguredAccount {
    const accounts = accountsOf(this.config, channel);
    if (name !== undefined) {
      const found = accounts.find((a) => a.name === name);
      if (found) return found;
      throw new CliUsageError(`channel ${channel} has no account "${name}": ${accounts.length > 0 ? `its accounts are ${accounts.map((a) => a.name).join(', ')}` : `none is configured under channels.${channel}.accounts`}`);
    }
    if (accounts.length === 1) return accounts[0]!;
    if (accounts.length === 0) throw new CliUsageError(`channel ${channel} has no account configured: add one under channels.${channel}.accounts.<name> in the config file`);
    throw new CliUsageError(`channel ${channel} has ${accounts.length} accounts (${accounts.map((a) => a.name).join(', ')}): pick one with --account`);
  }
}
