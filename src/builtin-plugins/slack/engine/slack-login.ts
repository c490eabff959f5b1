import { WebClient } from '@slack/web-api';
import type { Logger } from '@nexus/plugin-sdk';
import { slackApiError } from './slack-api-errors.js';
import { slackLibraryLogger } from './slack-library-logger.js';
import type { SlackAccountSettings } from './slack-settings.js';

/** Who the bot token belongs to, from `auth.test`. */
export interface SlackIdentity {
  readonly team: string;
  readonly teamId: string;
  readonly userId: string;
  readonly botId?: string;
  readonly url?: string;
  readonly scopes: readonly string[];
}

/** The outcome of `channels login slack`: `ok` when nothing in `problems` stops the bot from working. */
export interface SlackLoginReport {
  readonly ok: boolean;
  /** What stops the account from working, each with its fix. */
  readonly problems: readonly string[];
  /** What works only partly (a scope missing for DMs, files…). */
  readonly warnings: readonly string[];
  readonly identity?: SlackIdentity;
  /** How long `auth.test` took, when it answered. */
  readonly latencyMs?: number;
}

/** Scopes whose absence loses part of the channel, and what is lost. */
const RECOMMENDED_SCOPES: Readonly<Record<string, string>> = {
  'app_mentions:read': '@mentions in channels (app_mention events) will not arrive',
  'channels:history': 'messages in public channels will not arrive',
  'groups:history': 'messages in private channels will not arrive',
  'im:history': 'direct messages will not arrive',
  'mpim:history': 'group direct messages will not arrive',
  'files:read': 'attached files cannot be downloaded',
  'reactions:write': 'the bot cannot mark the message it is answering with ⏳ while a reply is written',
};

export interface SlackLoginDeps {
  readonly accountId: string;
  readonly settings: SlackAccountSettings;
  readonly logger: Logger;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly now: () => number;
}

/**
 * Checks an account's credentials and says exactly what is wrong: a token in the wrong field,
 * a bad token, a missing scope (`chat:write` for the bot, `connections:write` for the app-level
 * token), or an API that cannot be reached. Opening a Socket Mode URL does not connect a socket,
 * so this never uses up one of the app's ten connections.
 */
export async function checkSlackLogin(deps: SlackLoginDeps): Promise<SlackLoginReport> {
  const { accountId, settings } = deps;
  const field = (key: string) => `channels.slack.accounts.${accountId}.${key}`;
  const problems: string[] = [];
  const warnings: string[] = [];
  const client = (token: string) =>
    new WebClient(token, { slackApiUrl: settings.api_base_url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: deps.timeoutMs, fetch: deps.fetch, logger: slackLibraryLogger(deps.logger) });

  const botShape = tokenShape(settings.bot_token, 'xoxb-', field('bot_token'), 'the Bot User OAuth Token (xoxb-…) from OAuth & Permissions');
  const appShape = tokenShape(settings.app_token, 'xapp-', field('app_token'), 'an app-level token (xapp-…) from Basic Information → App-Level Tokens');
  let identity: SlackIdentity | undefined;
  let latencyMs: number | undefined;

  if (botShape) problems.push(botShape);
  else {
    const started = deps.now();
    try {
      const result = await client(settings.bot_token).auth.test();
      latencyMs = deps.now() - started;
      const scopes = result.response_metadata?.scopes ?? [];
      identity = {
        team: String(result.team ?? ''),
        teamId: String(result.team_id ?? ''),
        userId: String(result.user_id ?? ''),
        ...(result.bot_id ? { botId: String(result.bot_id) } : {}),
        ...(result.url ? { url: String(result.url) } : {}),
        scopes,
      };
      if (!scopes.includes('chat:write')) {
        problems.push(`the bot token lacks the chat:write scope, so the bot cannot reply (it has: ${scopes.join(', ') || 'none'}); add chat:write under OAuth & Permissions → Bot Token Scopes and reinstall the app`);
      }
      for (const [scope, lost] of Object.entries(RECOMMENDED_SCOPES)) {
        if (!scopes.includes(scope)) warnings.push(`the bot token lacks ${scope}: ${lost}; add it under OAuth & Permissions → Bot Token Scopes and reinstall the app`);
      }
    } catch (error) {
      problems.push(slackApiError(error, { method: 'auth.test', token: 'bot token', field: field('bot_token'), apiUrl: settings.api_base_url }).message);
    }
  }

  if (appShape) problems.push(appShape);
  else {
    try {
      await client(settings.app_token).apps.connections.open({});
    } catch (error) {
      problems.push(slackApiError(error, { method: 'apps.connections.open', token: 'app-level token', field: field('app_token'), apiUrl: settings.api_base_url }).message);
    }
  }

  return { ok: problems.length === 0, problems, warnings, ...(identity ? { identity } : {}), ...(latencyMs !== undefined ? { latencyMs } : {}) };
}

/** A token that cannot be right from its prefix alone, with the fix; undefined when it looks right. */
function tokenShape(token: string, prefix: 'xoxb-' | 'xapp-', field: string, what: string): string | undefined {
  if (token === '') return `${field} is not set; it takes ${what}`;
  if (token.startsWith(prefix)) return undefined;
  const kind = token.startsWith('xapp-') ? 'an app-level token (xapp-…)' : token.startsWith('xoxb-') ? 'a bot token (xoxb-…)' : token.startsWith('xoxp-') ? 'a user token (xoxp-…)' : 'a value that is not a Slack token';
  return `${field} holds ${kind}; it takes ${what}`;
}
