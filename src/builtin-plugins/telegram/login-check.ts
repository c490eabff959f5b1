import type { Api } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { errorStatus } from '@nexus/plugin-sdk/channel';
import type { TelegramAccountConfig } from './account-config.js';
import { botIdOf } from './account-config.js';
import type { PollerRegistry } from './poller-registry.js';
import { networkCause, redact, TelegramTimeoutError, withoutCredentials } from './telegram-errors.js';
import { grammySignal } from './grammy-signal.js';

export interface LoginFinding {
  readonly level: 'error' | 'warning' | 'info';
  readonly message: string;
}

/** What `nexus channels login telegram` reports: whether the account can work, and why not. */
export interface LoginReport {
  readonly ok: boolean;
  readonly bot?: { readonly id: number; readonly username: string; readonly name: string };
  readonly findings: readonly LoginFinding[];
}

/** Why getMe failed, said so that the operator knows what to change. */
export function getMeFailure(error: unknown, accountId: string, config: TelegramAccountConfig): string {
  const at = `channels.telegram.accounts.${accountId}`;
  const apiRoot = withoutCredentials(config.api_base_url);
  const status = errorStatus(error);
  if (status === 401) return `Telegram rejected the bot token of account ${accountId} (401 Unauthorized): it is wrong or was revoked. Get the current token from @BotFather (/token) and set ${at}.bot_token`;
  if (status === 404) return `${apiRoot} answered 404 Not Found to getMe: the token of account ${accountId} is malformed, or ${at}.api_base_url is not a Bot API server`;
  if (error instanceof TelegramTimeoutError) return `the Telegram Bot API at ${apiRoot} did not answer getMe within ${Math.round(error.afterMs / 1000)} s: the server is slow or a proxy holds the connection open; check ${at}.api_base_url`;
  const cause = networkCause(error);
  if (cause) return `cannot reach the Telegram Bot API at ${apiRoot} (${cause}): check ${at}.api_base_url and this host's network, DNS or proxy`;
  const e = error as { description?: string; message?: string };
  return redact(`getMe failed for account ${accountId}${status !== undefined ? ` (${status})` : ''}: ${e?.description ?? e?.message ?? String(error)}`, config.bot_token);
}

/**
 * The credential check: getMe says whether the token works and the API is reachable; then
 * getWebhookInfo and the bot's settings say whether the configured mode and policy can work.
 */
export async function checkLogin(input: {
  readonly api: Api;
  readonly accountId: string;
  readonly config: TelegramAccountConfig;
  readonly pollers: PollerRegistry;
  readonly signal: AbortSignal;
}): Promise<LoginReport> {
  const { api, accountId, config, signal } = input;
  const findings: LoginFinding[] = [];
  let me: UserFromGetMe;
  try {
    me = await api.getMe(grammySignal(signal));
  } catch (error) {
    return { ok: false, findings: [{ level: 'error', message: getMeFailure(error, accountId, config) }] };
  }
  const bot = { id: me.id, username: me.username, name: me.first_name };
  findings.push({ level: 'info', message: `bot @${me.username} (id ${me.id}) answers at ${withoutCredentials(config.api_base_url)}` });

  try {
    const info = await api.getWebhookInfo(grammySignal(signal));
    if (config.mode === 'polling' && info.url) {
      findings.push({ level: 'warning', message: `a webhook is set to ${info.url}, so getUpdates would answer 409 Conflict; the channel deletes it when it starts polling (or set mode: webhook)` });
    }
    if (config.mode === 'webhook' && info.url !== config.webhook_url) {
      findings.push({ level: 'warning', message: `the webhook points at "${info.url || '(none)'}", not webhook_url ${config.webhook_url}; the channel registers it when it starts` });
    }
    if (info.url && info.last_error_date !== undefined) {
      findings.push({ level: 'warning', message: `Telegram's last delivery to ${info.url} failed at ${new Date(info.last_error_date * 1000).toISOString()}: ${info.last_error_message ?? 'unknown error'}; ${info.pending_update_count} update(s) wait` });
    }
  } catch (error) {
    findings.push({ level: 'warning', message: `getWebhookInfo failed, so the webhook state is unknown: ${(error as Error).message}` });
  }

  if (config.group_policy !== 'disabled' && !config.require_mention && !me.can_read_all_group_messages) {
    findings.push({
      level: 'warning',
      message: 'privacy mode is on, so in groups the bot sees only commands, replies to it and mentions, although require_mention is false; turn privacy off in @BotFather (/setprivacy) or set require_mention: true',
    });
  }
  if (config.group_policy !== 'disabled' && !me.can_join_groups) {
    findings.push({ level: 'info', message: 'the bot cannot be added to groups (@BotFather /setjoingroups), so group_policy only matters for groups it is already in' });
  }
  const holder = input.pollers.holderOf(botIdOf(config.bot_token));
  if (config.mode === 'polling' && holder !== undefined && holder !== accountId) {
    findings.push({ level: 'error', message: `account ${holder} already polls this bot in this process; two accounts cannot share a bot token` });
  }
  return { ok: !findings.some((f) => f.level === 'error'), bot, findings };
}
