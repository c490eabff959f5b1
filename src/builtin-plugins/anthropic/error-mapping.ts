import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';
import type { ProviderError } from '@nexus/plugin-sdk';
import { mapProviderFailure, type FailureContext, type SdkFailures } from '@nexus/plugin-sdk/provider';
import { ANTHROPIC_KEY_ENV } from './anthropic-client.js';

export type { FailureContext };

const anthropicFailures: SdkFailures = {
  keyEnv: ANTHROPIC_KEY_ENV,
  connectionFailure: (error) => (error instanceof APIConnectionError ? { timedOut: error instanceof APIConnectionTimeoutError, cause: error.cause } : undefined),
  apiFailure(error) {
    if (!(error instanceof APIError)) return undefined;
    const body = (error.error ?? {}) as { request_id?: unknown };
    return {
      status: error.status,
      message: error.apiMessage ?? error.message,
      code: error.errorCode ?? undefined,
      type: error.type ?? undefined,
      requestId: error.requestID ?? (typeof body.request_id === 'string' ? body.request_id : undefined),
      // An `event: error` inside a 200 stream has no status, and the 200's headers say nothing about retrying.
      headers: error.status === undefined ? undefined : error.headers,
    };
  },
};

/**
 * Any failure from the SDK or the stream as a classified `ProviderError`. An HTTP error has a
 * status; an `event: error` inside a 200 stream has none, only the body's `error.type`
 * (`overloaded_error` there is a retryable server error, as a 529 is).
 */
export function providerError(error: unknown, context: FailureContext): ProviderError {
  return mapProviderFailure(error, context, anthropicFailures);
}
