import { classifyProviderFailure, isProviderError, ProviderError, retryAfterMsFromHeaders, type ProviderFailureReason } from '../contracts/index.js';
import { redactUrl, scrubCredentials } from './url-redaction.js';

export interface FailureContext {
  /** The config entry id (`openai`, `local`). */
  readonly provider: string;
  readonly model: string;
  readonly baseUrl: string;
}

/** What an SDK's API error says: an HTTP error response, or an error event inside a stream. */
export interface ApiFailure {
  readonly status?: number;
  readonly message: string;
  readonly code?: string;
  readonly type?: string;
  readonly requestId?: string;
  /** The headers to read `retry-after` from, when they belong to the failed response. */
  readonly headers?: { get(name: string): string | null };
}

/**
 * How one official SDK's errors are told apart. Both SDKs share one class tree (a connection
 * timeout is a connection error, which is an API error), so the kit asks in that order.
 */
export interface SdkFailures {
  /** The variable named in the hint for an `auth` failure, e.g. `OPENAI_API_KEY`. */
  readonly keyEnv: string;
  /** The SDK's connection error, and whether it was its timeout; undefined for anything else. */
  connectionFailure(error: unknown): { readonly timedOut: boolean; readonly cause: unknown } | undefined;
  /** The SDK's API error; undefined for anything else. */
  apiFailure(error: unknown): ApiFailure | undefined;
}

/** What the operator can do about a reason, appended to the provider's own message. */
function hint(reason: ProviderFailureReason, ctx: FailureContext, keyEnv: string): string {
  if (reason === 'auth') return ` (check llm.providers.${ctx.provider}.api_key or ${keyEnv})`;
  if (reason === 'model_unavailable') return ` (check the model name "${ctx.model}" or llm.providers.${ctx.provider}.default_model)`;
  return '';
}

/**
 * Any failure from an SDK or its stream as a classified `ProviderError`, with credentials kept
 * out of the message: the base URL is redacted, and any URL the error quotes is scrubbed.
 */
export function mapProviderFailure(error: unknown, context: FailureContext, sdk: SdkFailures): ProviderError {
  if (isProviderError(error)) return error;
  const classified = classify(error, { ...context, baseUrl: redactUrl(context.baseUrl) }, sdk);
  const message = scrubCredentials(classified.message);
  return message === classified.message ? classified : new ProviderError({ ...classified, message, cause: classified.cause });
}

function classify(error: unknown, ctx: FailureContext, sdk: SdkFailures): ProviderError {
  const base = { provider: ctx.provider, model: ctx.model, cause: error };
  const connection = sdk.connectionFailure(error);
  if (connection?.timedOut) {
    return new ProviderError({ ...base, reason: 'timeout', message: `no response from ${ctx.baseUrl} before the timeout` });
  }
  if (connection) {
    const cause = connection.cause instanceof Error ? `: ${connection.cause.message}` : '';
    return new ProviderError({ ...base, reason: 'network', message: `cannot reach ${ctx.baseUrl}${cause}` });
  }
  const api = sdk.apiFailure(error);
  if (api) {
    const { status, message, code, type, headers } = api;
    const reason = classifyProviderFailure({ status, code, type, message });
    return new ProviderError({
      ...base,
      reason,
      status,
      code: code ?? type,
      message: message + hint(reason, ctx, sdk.keyEnv),
      requestId: api.requestId,
      retryAfterMs: headers ? retryAfterMsFromHeaders((name) => headers.get(name)) : undefined,
    });
  }
  if (error instanceof SyntaxError) {
    return new ProviderError({ ...base, reason: 'server_error', message: `the server sent a stream event that is not valid JSON (${error.message})` });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError && /terminated|other side closed|socket/i.test(`${message} ${String((error as { cause?: unknown }).cause)}`)) {
    return new ProviderError({ ...base, reason: 'network', message: `the connection to ${ctx.baseUrl} closed in the middle of the response` });
  }
  return new ProviderError({ ...base, reason: classifyProviderFailure({ message }), message });
}
