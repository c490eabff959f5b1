import type { ChannelLogin } from '@nexus/plugin-sdk';
import type { TelegramChannel } from './telegram-channel.js';

const MARK = { error: '✗', warning: '!', info: '✓' } as const;

/**
 * `nexus channels login telegram [--account A]`: a bot has no interactive sign-in, so login is
 * the credential check (getMe, then the webhook state and the bot's group settings), printed
 * finding by finding. It fails with the first error's text: a rejected token, an unreachable
 * API, a second account on the same bot.
 */
export function channelLogin(channel: () => Promise<TelegramChannel>): ChannelLogin {
  return {
    async login({ accountId, signal, print }) {
      const account = (await channel()).account(accountId);
      const report = await account.checkLogin({ signal });
      for (const finding of report.findings) print(`${MARK[finding.level]} ${accountId}: ${finding.message}`);
      const error = report.findings.find((f) => f.level === 'error');
      if (!report.ok) throw new Error(error?.message ?? `the Telegram account ${accountId} cannot work`);
    },
    async logout(accountId) {
      // The token lives in the config (or the environment), not in a session this plugin holds;
      // there is nothing to sign out of without revoking the bot for every other user of it.
      (await channel()).account(accountId);
      throw new Error(
        `a Telegram bot has no session to log out of: remove channels.telegram.accounts.${accountId} (or its bot_token) from the config to stop using it, or revoke the token in @BotFather (/revoke) to stop everyone using it`,
      );
    },
  };
}
