import type { ChannelLogin } from '@nexus/plugin-sdk';
import { accountNamed } from '@nexus/plugin-sdk/channel';
import { SLACK, type SlackAccountEntry } from './slack-accounts.js';

/**
 * `nexus channels login slack [--account A]`: Slack's own credential check, `auth.test` with the
 * bot token (and its scopes) and `apps.connections.open` with the app-level token. It prints who
 * the bot is and every warning, and fails with every problem, each saying what to change.
 */
export class SlackLogin implements ChannelLogin {
  constructor(private readonly accounts: ReadonlyMap<string, SlackAccountEntry>) {}

  async login(options: { readonly accountId: string; readonly signal: AbortSignal; readonly print: (line: string) => void }): Promise<void> {
    const entry = accountNamed(this.accounts, options.accountId, SLACK);
    options.signal.throwIfAborted();
    const report = await entry.engine.login();
    const { identity } = report;
    if (identity) options.print(`slack/${entry.name}: the bot token works: user ${identity.userId} in ${identity.team} (${identity.teamId}); scopes: ${identity.scopes.join(', ') || 'none'}`);
    for (const warning of report.warnings) options.print(`warning: ${warning}`);
    if (!report.ok) throw new Error(`slack/${entry.name}: ${report.problems.join('; ')}`);
    options.print(`slack/${entry.name}: the app-level token can open Socket Mode connections; ready`);
  }

  async logout(accountId: string): Promise<void> {
    accountNamed(this.accounts, accountId, SLACK);
    throw new Error(
      `Slack accounts sign in with tokens kept in the configuration, so there is no session to end: remove channels.slack.accounts.${accountId} (and revoke the tokens under the app's OAuth & Permissions and Basic Information pages) to log out`,
    );
  }
}
