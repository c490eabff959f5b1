/**
 * What to do about a failed platform call, read from the error shapes the platform clients
 * throw (grammY, @slack/web-api, @discordjs/rest, fetch) without importing any of them:
 * - `rate_limited`: wait `retryAfterMs` (when the platform said) and try again;
 * - `transient`: a network failure, a timeout or a 5xx; retry with backoff;
 * - `permanent`: a 4xx that will fail the same way again; `auth` when the credentials are bad.
 */
export type DeliveryErrorClass =
  | { readonly kind: 'rate_limited'; readonly retryAfterMs?: number; readonly status?: number }
  | { readonly kind: 'transient'; readonly status?: number; readonly code?: string }
  | { readonly kind: 'permanent'; readonly auth: boolean; readonly status?: number; readonly code?: string };

type Loose = Record<string, unknown>;

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Slack answers HTTP 200 with `{ok:false, error}`; these errors mean the token itself is bad. */
const SLACK_AUTH = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type', 'missing_scope', 'no_permission', 'team_access_not_granted']);
const SLACK_TRANSIENT = new Set(['fatal_error', 'internal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

function isObject(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null;
}

/** The error and the errors it wraps (grammY's HttpError.error, fetch's cause, Slack's original). */
function chain(error: unknown): Loose[] {
  const out: Loose[] = [];
  let current: unknown = error;
  while (isObject(current) && out.length < 5 && !out.includes(current)) {
    out.push(current);
    current = current.error ?? current.cause ?? current.original;
  }
  return out;
}

function seconds(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.ceil(n * 1000) : undefined;
}

function header(headers: unknown, name: string): string | undefined {
  if (!isObject(headers)) return undefined;
  if (typeof headers.get === 'function') return (headers.get as (n: string) => string | null)(name) ?? undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : undefined;
}

/** How long the platform asked us to wait, in ms, or undefined when it did not say. */
export function retryAfterMs(error: unknown, now: number = Date.now()): number | undefined {
  for (const e of chain(error)) {
    // Telegram: {parameters: {retry_after: seconds}}.
    if (isObject(e.parameters) && e.parameters.retry_after !== undefined) return seconds(e.parameters.retry_after);
    // @discordjs/rest RateLimitError: retryAfter in ms (it also has timeToReset).
    if (typeof e.timeToReset === 'number' && typeof e.retryAfter === 'number') return Math.max(0, Math.ceil(e.retryAfter));
    // @slack/web-api WebAPIRateLimitedError: retryAfter in seconds.
    if (typeof e.retryAfter === 'number') return seconds(e.retryAfter);
    // A raw Discord 429 body: retry_after in seconds.
    if (e.retry_after !== undefined) return seconds(e.retry_after);
    if (isObject(e.rawError) && e.rawError.retry_after !== undefined) return seconds(e.rawError.retry_after);
    const value = header(e.headers, 'retry-after');
    if (value !== undefined) {
      const delay = seconds(value);
      if (delay !== undefined) return delay;
      const at = Date.parse(value);
      if (!Number.isNaN(at)) return Math.max(0, at - now);
    }
  }
  return undefined;
}

/** The HTTP (or Telegram `error_code`) status an error carries, if any. */
export function errorStatus(error: unknown): number | undefined {
  for (const e of chain(error)) {
    for (const key of ['error_code', 'status', 'statusCode'] as const) {
      const value = e[key];
      if (typeof value === 'number' && value >= 100 && value <= 599) return value;
    }
  }
  return undefined;
}

export function classifyDeliveryError(error: unknown): DeliveryErrorClass {
  const links = chain(error);
  for (const e of links) {
    if (e.code === 'slack_webapi_rate_limited_error') return withRetry({ kind: 'rate_limited', status: 429 }, error);
    if (e.code === 'slack_webapi_request_error') return { kind: 'transient', code: 'network' };
    if (e.code === 'slack_webapi_platform_error' && isObject(e.data) && typeof e.data.error === 'string') {
      const code = e.data.error;
      if (code === 'ratelimited') return withRetry({ kind: 'rate_limited' }, error);
      if (SLACK_TRANSIENT.has(code)) return { kind: 'transient', code };
      return { kind: 'permanent', auth: SLACK_AUTH.has(code), code };
    }
    if (typeof e.timeToReset === 'number' && typeof e.retryAfter === 'number') return withRetry({ kind: 'rate_limited', status: 429 }, error);
  }
  const status = errorStatus(error);
  if (status !== undefined) {
    if (status === 429) return withRetry({ kind: 'rate_limited', status }, error);
    if (status >= 500 || status === 408 || status === 425 || status === 409) return { kind: 'transient', status };
    if (status >= 400) return { kind: 'permanent', auth: status === 401, status };
  }
  for (const e of links) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code !== undefined && NETWORK_CODES.has(code)) return { kind: 'transient', code };
    if (e.name === 'AbortError' || e.name === 'TimeoutError' || e.type === 'request-timeout') return { kind: 'transient', code: 'timeout' };
    if (e.type === 'system' || (e.name === 'FetchError' && code === undefined)) return { kind: 'transient', code: 'network' };
  }
  // grammY's HttpError ("Network request for 'x' failed!") wraps whatever fetch threw.
  if (links.some((e) => e.name === 'HttpError' && 'error' in e)) return { kind: 'transient', code: 'network' };
  return { kind: 'permanent', auth: false };
}

function withRetry(result: { kind: 'rate_limited'; status?: number }, error: unknown): DeliveryErrorClass {
  const after = retryAfterMs(error);
  return after === undefined ? result : { ...result, retryAfterMs: after };
}
