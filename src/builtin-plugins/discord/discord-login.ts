import type { ChannelLogin } from '@nexus/plugin-sdk';
import { accountNamed } from '@nexus/plugin-sdk/channel';
import { DISCORD, type DiscordAccountEntry } from './discord-accounts.js';

/**
 * `nexus channels login discord [--account A]`: Discord's own credential check: `GET /users/@me`
 * with the bot token, the application's Message Content intent (`GET /applications/@me`) and the
 * session budget (`GET /gateway/bot`). It prints who the bot is and every warning, and fails with
 * every problem, each saying what to change.
 */
export class DiscordLogin implements ChannelLogin {
  constructor(private readonly accounts: ReadonlyMap<string, DiscordAccountEntry>) {}

  async login(options: { readonly accountId: string; readonly signal: AbortSignal; readonly print: (line: string) => void }): Promise<void> {
    const entry = accountNamed(this.accounts, options.accountId, DISCORD);
    options.signal.throwIfAborted();
    const report = await entry.engine.login();
    const { identity } = report;
    if (identity) options.print(`discord/${entry.name}: the bot token works: ${identity.username} (${identity.userId})${identity.messageContent ? `; Message Content intent ${identity.messageContent}` : ''}`);
    for (const warning of report.warnings) options.print(`warning: ${warning}`);
    if (!report.ok) throw new Error(`discord/${entry.name}: ${report.problems.join('; ')}`);
    options.print(`discord/${entry.name}: ready`);
  }

  async logout(accountId: string): Promise<void> {
    accountNamed(this.accounts, accountId, DISCORD);
    throw new Error(
      `Discord bots sign in with a token kept in the configuration, so there is no session to end: remove channels.discord.accounts.${accountId} (and reset the token under Bot in the Developer Portal) to log out`,
    );
  }
}
