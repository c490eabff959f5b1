import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import { classifyProviderFailure, isProviderError, ProviderError, retryAfterMsFromHeaders, type ProviderFailureReason } from '../../contracts/index.js';
import { redactUrl, scrubCredentials } from './redaction.js';

export interface FailureContext {
  /** The config entry id. */
  readonly provider: string;
  readonly model: string;
  readonly baseUrl: string;
}

function hint(reason: ProviderFailureReason, ctx: FailureContext): string {
  if (reason === 'auth') return ` (check llm.providers.${ctx.provider}.api_key or ANTHROPIC_API_KEY)`;
  if (reason === 'model_unavailable') return ` (check the model name "${ctx.model}" or llm.providers.${ctx.provider}.default_model)`;
  return '';
}

/**
 * Any failure from the SDK or the stream as a classified `ProviderError`. An HTTP error has a
 * status; an `event: error` inside a 200 stream has none, only the body's `error.type`
 * (`overloaded_error` there is a retryable server error, as a 529 is).
 */
export function providerError(error: unknown, context: FailureContext): ProviderError {
  if (isProviderError(error)) return error;
  const classified = classify(error, { ...context, baseUrl: redactUrl(context.baseUrl) });
  const message = scrubCredentials(classified.message);
  return message === classified.message ? classified : new ProviderError({ ...classified, message, cause: classified.cause });
}

function classify(error: unknown, ctx: FailureContext): ProviderError {
  const base = { provider: ctx.provider, model: ctx.model, cause: error };
  if (error instanceof APIConnectionTimeoutError) {
    return new ProviderError({ ...base, reason: 'timeout', message: `no response from ${ctx.baseUrl} before the timeout` });
  }
  if (error instanceof APIConnectionError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return new ProviderError({ ...base, reason: 'network', message: `cannot reach ${ctx.baseUrl}${cause}` });
  }
  if (error instanceof APIError) {
    const body = (error.error ?? {}) as { request_id?: unknown };
    const message = error.apiMessage ?? error.message;
    const type = error.type ?? undefined;
    const code = error.errorCode ?? undefined;
    const reason = classifyProviderFailure({ status: error.status, code, type, message });
    return new ProviderError({
      ...base,
      reason,
      status: error.status,
      code: code ?? type,
      message: message + hint(reason, ctx),
      requestId: error.requestID ?? (typeof body.request_id === 'string' ? body.request_id : undefined),
      retryAfterMs: error.headers && error.status !== undefined ? retryAfterMsFromHeaders((name) => error.headers!.get(name)) : undefined,
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
