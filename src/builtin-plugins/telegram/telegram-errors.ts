import { classifyDeliveryError, errorStatus } from '@nexus/plugin-sdk/channel';

/** Removes the bot token from text that may quote a request URL (fetch errors do). */
export function redact(text: string, token: string): string {
  if (token === '') return text;
  const secret = token.includes(':') ? token.slice(token.indexOf(':') + 1) : token;
  return text.split(token).join('<bot_token>').split(secret).join('<secret>');
}

/** A URL as it may be shown: without `user:password@`, which a proxy URL may carry. */
export function withoutCredentials(url: string): string {
  return url.replace(/^(https?:\/\/)[^@/]*@/i, '$1');
}

/** A call that got no answer in time: the API is slow, or the connection is half-open. */
export class TelegramTimeoutError extends Error {
  readonly code = 'timeout';
  constructor(
    readonly method: string,
    readonly afterMs: number,
  ) {
    super(`no answer to ${method} within ${Math.round(afterMs / 1000)} s`);
    // The standard name, so retry classification (the channel kit's) treats it as transient.
    this.name = 'TimeoutError';
  }
}

/** An outbound message that could not be delivered. `code` is what `message.failed` reports. */
export class TelegramDeliveryError extends Error {
  constructor(
    readonly code: 'rate_limited' | 'unauthorized' | 'forbidden' | 'bad_request' | 'unavailable' | 'cancelled',
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'TelegramDeliveryError';
  }
}

/** The Bot API's own words for a failed call, or what went wrong on the way, never the token. */
export function describeFailure(error: unknown, context: { readonly apiRoot: string; readonly token: string }): string {
  const apiRoot = withoutCredentials(context.apiRoot);
  const e = error as { description?: unknown; error_code?: unknown; method?: unknown; error?: unknown; message?: unknown };
  if (typeof e?.description === 'string' && typeof e.error_code === 'number') return redact(`${String(e.method ?? 'the call')} answered ${e.error_code}: ${e.description}`, context.token);
  if (error instanceof TelegramTimeoutError) return `${error.message} from ${apiRoot} (slow or half-open connection)`;
  const cause = networkCause(error);
  if (cause) return `cannot reach the Bot API at ${apiRoot} (${cause})`;
  return redact(String(e?.message ?? error), context.token);
}

/** The socket-level reason behind a network failure (ECONNREFUSED, ENOTFOUND…), if that is what it was. */
export function networkCause(error: unknown): string | undefined {
  const verdict = classifyDeliveryError(error);
  if (verdict.kind !== 'transient' || errorStatus(error) !== undefined) return undefined;
  return verdict.code === 'network' ? 'network error' : verdict.code;
}

/** The delivery error for a failed send, classified for the caller's retry policy. */
export function deliveryError(error: unknown, context: { readonly apiRoot: string; readonly token: string; readonly what: string }): TelegramDeliveryError {
  if (error instanceof TelegramDeliveryError) return error;
  const text = `${context.what} failed: ${describeFailure(error, context)}`;
  const verdict = classifyDeliveryError(error);
  const status = errorStatus(error);
  if ((error as Error)?.name === 'AbortError') return new TelegramDeliveryError('cancelled', `${context.what} was cancelled`);
  if (verdict.kind === 'rate_limited') return new TelegramDeliveryError('rate_limited', text, verdict.retryAfterMs);
  if (verdict.kind === 'transient') return new TelegramDeliveryError('unavailable', text);
  if (verdict.auth) return new TelegramDeliveryError('unauthorized', `${text}; check channels.telegram.accounts.<name>.bot_token`);
  return new TelegramDeliveryError(status === 403 ? 'forbidden' : 'bad_request', text);
}
