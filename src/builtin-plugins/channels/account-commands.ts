import { ChannelLogins, ChannelOutbounds, type CliCommandContext, type Clock, type ContributionRegistry } from '@nexus/plugin-sdk';
import type { ChannelNames } from './channel-names.js';

type AccountArgs = {
  readonly channel?: string;
};

type AccountOptions = {
  readonly account?: string;
  readonly to?: string;
  readonly text?: string;
};

/** `nexus channels login|logout|test <channel>`: one account, through the channel plugin's own capabilities. */
export async function accountCommand(ctx: CliCommandContext<AccountArgs, AccountOptions>, names: ChannelNames, contributions: ContributionRegistry, clock: Clock): Promise<number> {
  const channel = await names.require(ctx.args.channel!);
  const account = names.account(channel, ctx.options.account);
  const at = `${channel}/${account.name}`;
  try {
    switch (ctx.subcommand) {
      case 'login': {
        const login = (await contributions.getAll(ChannelLogins)).find((c) => c.name === channel)?.value;
        if (!login) return refuse(ctx, `channel ${channel} has no credential check (its plugin binds no login capability)`);
        ctx.stdout(`Checking ${at}…\n`);
        await login.login({ accountId: account.name, signal: ctx.signal, print: (line) => ctx.stdout(`${line}\n`) });
        ctx.stdout(`${at}: the credentials work.\n`);
        return 0;
      }
      case 'logout': {
        const login = (await contributions.getAll(ChannelLogins)).find((c) => c.name === channel)?.value;
        if (!login) return refuse(ctx, `channel ${channel} has no sign-in to forget (its plugin binds no login capability)`);
        await login.logout(account.name);
        ctx.stdout(`Signed ${at} out.\n`);
        return 0;
      }
      case 'test': {
        const outbound = (await contributions.getAll(ChannelOutbounds)).find((c) => c.name === channel)?.value;
        if (!outbound) return refuse(ctx, `channel ${channel} cannot send (its plugin binds no outbound capability)`);
        const started = clock.now();
        const receipt = await outbound.send({ channel, accountId: account.name, target: ctx.options.to!, content: ctx.options.text! }, { signal: ctx.signal });
        ctx.stdout(`Sent through ${at} to ${ctx.options.to} in ${clock.now() - started} ms${receipt.externalId ? ` (platform id ${receipt.externalId})` : ''}.\n`);
        return 0;
      }
      default:
        throw new Error(`unknown sub-command: ${ctx.subcommand}`);
    }
  } catch (error) {
    return refuse(ctx, `${ctx.subcommand} ${at} failed: ${(error as Error).message}`);
  }
}

function refuse(ctx: { readonly stderr: (text: string) => void }, message: string): number {
  ctx.stderr(`${message}\n`);
  return 1;
}
