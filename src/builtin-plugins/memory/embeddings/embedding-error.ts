import { isRetryableReason, type ProviderFailureReason } from '@nexus/plugin-sdk';

/**
 * An embeddings request that failed, classified the way provider failures are (`rate_limit`,
 * `server_error`, `timeout` and `network` are worth retrying; `auth`, `invalid_request` and
 * the rest are not). The message never holds the API key or a URL's credentials.
 */
export class EmbeddingError extends Error {
  constructor(
    readonly reason: ProviderFailureReason,
    message: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EmbeddingError';
  }

  get retryable(): boolean {
    return isRetryableReason(this.reason);
  }
}
