import {
  ChannelPairingStoreToken,
  ClockToken,
  ConfigToken,
  ContributionsToken,
  HostStatusToken,
  inject,
  injectable,
  ServicesToken,
  type CliCommand,
  type CliCommandContext,
  type Clock,
  type ConfigAccess,
  type ContributionRegistry,
  type ServiceRegistry,
} from '@nexus/plugin-sdk';
import { accountCommand } from './account-commands.js';
import { ChannelNames } from './channel-names.js';
import { listChannels } from './list-command.js';
import { pair } from './pair-command.js';
import { channelStatus } from './status-command.js';

/** `nexus channels`: routes each sub-command to the file that does it. */
@injectable()
export class ChannelsCommand implements CliCommand {
  readonly name = 'channels';
  private readonly names: ChannelNames;

  constructor(
    @inject(ConfigToken) private readonly config: ConfigAccess,
    @inject(ContributionsToken) private readonly contributions: ContributionRegistry,
    @inject(ServicesToken) private readonly services: ServiceRegistry,
    @inject(ClockToken) private readonly clock: Clock,
  ) {
    this.names = new ChannelNames(config, contributions, () => this.plugins());
  }

  async run(ctx: CliCommandContext): Promise<number> {
    switch (ctx.subcommand) {
      case 'list':
        return listChannels(ctx, this.config, await this.plugins());
      case 'status':
        return channelStatus(ctx as CliCommandContext<Record<string, never>>, { home: this.config.home, contributions: this.contributions, clock: this.clock, env: process.env });
      case 'login':
      case 'logout':
      case 'test':
        return accountCommand(ctx, this.names, this.contributions, this.clock);
      default:
        if (ctx.subcommand.startsWith('pair ')) return pair(ctx, () => this.services.get(ChannelPairingStoreToken), this.names, () => this.clock.now());
        throw new Error(`unknown sub-command: channels ${ctx.subcommand}`);
    }
  }

  private async plugins() {
    return (await this.services.get(HostStatusToken)).plugins();
  }
}
