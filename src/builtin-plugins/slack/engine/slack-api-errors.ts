import { ErrorCode, type WebAPICallError } from '@slack/web-api';

/** What kind of failure a Slack call had; the gateway reports it as `message.failed`'s code. */
export type SlackErrorCode = 'auth_error' | 'missing_scope' | 'rate_limited' | 'unreachable' | 'not_found' | 'invalid_input' | 'platform_error' | 'http_error';

/** A Slack call that failed, with a message that says what to do about it. */
export class SlackApiError extends Error {
  constructor(
    message: string,
    readonly code: SlackErrorCode,
    /** Slack's own error string (`invalid_auth`, `missing_scope`…), when it sent one. */
    readonly platformError?: string,
    /** For `rate_limited`: how long Slack asked to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SlackApiError';
  }

  /** Worth trying again later (unlike a bad token or a missing scope). */
  get retryable(): boolean {
    return this.code === 'rate_limited' || this.code === 'unreachable' || (this.code === 'http_error' && !/HTTP 4/.test(this.message));
  }
}

export interface SlackCallContext {
  readonly method: string;
  /** `bot token` or `app-level token`. */
  readonly token: 'bot token' | 'app-level token';
  /** The config key holding that token, e.g. `channels.slack.accounts.main.bot_token`. */
  readonly field: string;
  readonly apiUrl: string;
}

const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'team_disabled', 'user_removed_from_team']);

/** Turns whatever a WebClient call threw into a `SlackApiError` that names the cause and the fix. */
export function slackApiError(error: unknown, context: SlackCallContext): SlackApiError {
  if (error instanceof SlackApiError) return error;
  const { method, field, apiUrl } = context;
  const coded = error as Partial<WebAPICallError> & { retryAfter?: number; data?: Record<string, unknown>; statusCode?: number; original?: Error };
  switch (coded.code) {
    case ErrorCode.RateLimitedError:
      return new SlackApiError(`Slack rate-limited ${method}; retry after ${coded.retryAfter ?? 1} s`, 'rate_limited', 'ratelimited', (coded.retryAfter ?? 1) * 1000);
    case ErrorCode.RequestError: {
      const cause = (coded.original as { cause?: { code?: string; message?: string } } | undefined)?.cause;
      return new SlackApiError(`cannot reach the Slack API at ${apiUrl} (${cause?.code ?? cause?.message ?? coded.original?.message ?? 'no answer'}); check the network and ${field.replace(/[^.]+$/, 'api_base_url')}`, 'unreachable');
    }
    case ErrorCode.HTTPError:
      return new SlackApiError(`Slack answered HTTP ${coded.statusCode} to ${method} at ${apiUrl}`, 'http_error');
    case ErrorCode.PlatformError:
      return platformError(String(coded.data?.error ?? 'unknown_error'), coded.data ?? {}, context);
    default:
      return new SlackApiError(`${method} failed: ${(error as Error)?.message ?? String(error)}`, 'platform_error');
  }
}

function platformError(slackError: string, data: Record<string, unknown>, { method, token, field }: SlackCallContext): SlackApiError {
  if (AUTH_ERRORS.has(slackError)) {
    return new SlackApiError(`Slack rejected the ${token} (${slackError}) when calling ${method}; check ${field}`, 'auth_error', slackError);
  }
  switch (slackError) {
    case 'not_allowed_token_type':
      return new SlackApiError(
        `${method} does not accept the token in ${field}: it is the wrong kind (bot tokens start with xoxb-, app-level tokens with xapp-)`,
        'auth_error',
        slackError,
      );
    case 'missing_scope': {
      const needed = String(data.needed ?? 'an unknown scope');
      const provided = typeof data.provided === 'string' && data.provided !== '' ? data.provided : 'none';
      const where = token === 'app-level token' ? 'Basic Information → App-Level Tokens (create a token with it)' : 'OAuth & Permissions → Bot Token Scopes, then reinstall the app';
      return new SlackApiError(`the ${token} lacks the ${needed} scope that ${method} needs (it has: ${provided}); add ${needed} under ${where}`, 'missing_scope', slackError);
    }
    case 'ratelimited':
      return new SlackApiError(`Slack rate-limited ${method}`, 'rate_limited', slackError, 1000);
    case 'channel_not_found':
    case 'message_not_found':
    case 'thread_not_found':
      return new SlackApiError(`${method}: ${slackError.replace(/_/g, ' ')}`, 'not_found', slackError);
    case 'not_in_channel':
      return new SlackApiError(`${method}: the bot is not in that channel; invite it with /invite @<bot name>`, 'not_found', slackError);
    case 'msg_too_long':
    case 'no_text':
    case 'invalid_arguments':
      return new SlackApiError(`${method} refused the message: ${slackError.replace(/_/g, ' ')}`, 'invalid_input', slackError);
    default:
      return new SlackApiError(`${method} failed: ${slackError}`, 'platform_error', slackError);
  }
}
