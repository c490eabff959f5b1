import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { ProviderError } from '@nexus/plugin-sdk';
import { mapProviderFailure, type FailureContext, type SdkFailures } from '@nexus/plugin-sdk/provider';
import { OPENAI_KEY_ENV } from './openai-client.js';

export type { FailureContext };

const openaiFailures: SdkFailures = {
  keyEnv: OPENAI_KEY_ENV,
  connectionFailure: (error) => (error instanceof APIConnectionError ? { timedOut: error instanceof APIConnectionTimeoutError, cause: error.cause } : undefined),
  apiFailure(error) {
    if (!(error instanceof APIError)) return undefined;
    const body = (error.error ?? {}) as { message?: unknown };
    return {
      status: error.status,
      message: typeof body.message === 'string' && body.message !== '' ? body.message : error.message,
      // OpenRouter sends a numeric `code` (the HTTP status); OpenAI sends a string or null.
      code: error.code === null || error.code === undefined ? undefined : String(error.code),
      type: typeof error.type === 'string' ? error.type : undefined,
      requestId: error.requestID ?? undefined,
      headers: error.headers,
    };
  },
};

/** Any failure from the SDK or the stream as a classified `ProviderError`. */
export function providerError(error: unknown, context: FailureContext): ProviderError {
  return mapProviderFailure(error, context, openaiFailures);
}
