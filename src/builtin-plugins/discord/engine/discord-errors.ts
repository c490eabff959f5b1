import { DiscordAPIError, HTTPError, RateLimitError } from '@discordjs/rest';

/** What kind of failure a Discord call had; the gateway reports it as `message.failed`'s code. */
export type DiscordErrorCode = 'auth_error' | 'missing_intent' | 'permission' | 'rate_limited' | 'unreachable' | 'not_found' | 'invalid_input' | 'platform_error' | 'http_error';

/** A Discord call (or gateway session) that failed, with a message that says what to do about it. */
export class DiscordChannelError extends Error {
  constructor(
    message: string,
    readonly code: DiscordErrorCode,
    /** For `rate_limited`: how long Discord asked to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DiscordChannelError';
  }

  /** Worth trying again later (unlike a bad token or a missing intent). */
  get retryable(): boolean {
    return this.code === 'rate_limited' || this.code === 'unreachable' || this.code === 'http_error';
  }
}

export interface DiscordCallContext {
  /** `POST /channels/:id/messages` and the like. */
  readonly route: string;
  /** The config key holding the token, e.g. `channels.discord.accounts.main.bot_token`. */
  readonly field: string;
  readonly apiUrl: string;
}

/** Turns whatever a REST call threw into a `DiscordChannelError` that names the cause and the fix. */
export function discordError(error: unknown, { route, field, apiUrl }: DiscordCallContext): DiscordChannelError {
  if (error instanceof DiscordChannelError) return error;
  if (error instanceof RateLimitError) {
    // retryAfter is Discord's retry_after (plus the library's 50 ms margin), or the bucket's reset when the library stopped the call itself.
    const ms = Math.max(0, error.retryAfter > 0 ? error.retryAfter : error.timeToReset);
    return new DiscordChannelError(`Discord rate-limited ${route}; retry after ${ms} ms`, 'rate_limited', ms);
  }
  if (error instanceof DiscordAPIError) {
    const raw = error.rawError as { message?: string; error_description?: string };
    const message = raw.message ?? raw.error_description ?? error.message;
    const said = message.startsWith(String(error.status)) ? message : `${error.status} ${message}`;
    const what = `${said}${typeof error.code === 'number' && error.code !== 0 ? `, code ${error.code}` : ''}`;
    if (error.status === 401) return new DiscordChannelError(`Discord rejected the bot token (${what}) on ${route}; check ${field} (Developer Portal → Bot → Reset Token)`, 'auth_error');
    if (error.status === 403) return new DiscordChannelError(`Discord refused ${route} (${what}): give the bot the permission in that channel (View Channel, Send Messages, Send Messages in Threads)`, 'permission');
    if (error.status === 404) return new DiscordChannelError(`${route}: ${what}`, 'not_found');
    if (error.status === 400) return new DiscordChannelError(`Discord refused ${route}: ${error.message}`, 'invalid_input');
    return new DiscordChannelError(`Discord refused ${route}: ${error.message}`, 'platform_error');
  }
  if (error instanceof HTTPError) return new DiscordChannelError(`Discord answered HTTP ${error.status} to ${route} at ${apiUrl}`, 'http_error');
  const failure = error as { name?: string; code?: string; cause?: { code?: string }; message?: string };
  const reason = failure.name === 'AbortError' ? 'no answer in time' : (failure.code ?? failure.cause?.code ?? failure.message ?? String(error));
  return new DiscordChannelError(`cannot reach the Discord API at ${apiUrl} (${reason}); check the network and ${field.replace(/[^.]+$/, 'api_base_url')}`, 'unreachable');
}

/** Gateway close codes after which reconnecting cannot help, with what to do. */
export function fatalCloseMessage(code: number, field: string): string | undefined {
  switch (code) {
    case 4004:
      return `Discord rejected the bot token when identifying (gateway close 4004); check ${field} (Developer Portal → Bot → Reset Token)`;
    case 4010:
    case 4011:
      return `Discord requires sharding for this bot (gateway close ${code}); one connection per account serves bots in fewer than 2,500 servers`;
    case 4012:
      return 'Discord refused the gateway API version (gateway close 4012)';
    case 4013:
      return 'Discord refused the requested gateway intents as invalid (gateway close 4013)';
    case 4014:
      return 'Discord refused the Message Content intent (gateway close 4014, disallowed intents): enable Bot → Privileged Gateway Intents → Message Content Intent in the Developer Portal';
    default:
      return undefined;
  }
}
