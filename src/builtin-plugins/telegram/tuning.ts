import type { BackoffOptions, TokenBucketOptions } from '@nexus/plugin-sdk/channel';

/**
 * The engine's timings and limits. They are not config keys: the defaults follow Telegram's
 * documented limits, and tests shorten them. Phase 2 may expose some if operators need them.
 */
export interface TelegramTuning {
  /** getUpdates `timeout`: how long Telegram holds a poll open when there is nothing new. */
  readonly pollTimeoutSeconds: number;
  /** How long past the poll timeout a poll may go unanswered before it counts as stalled (half-open). */
  readonly stallGraceMs: number;
  /** The deadline of every other API call. */
  readonly requestTimeoutMs: number;
  /** Reconnect after network errors and 5xx. */
  readonly backoff: BackoffOptions;
  /** Retry after a 409 Conflict (another poller, or a webhook set behind our back). */
  readonly conflictBackoff: BackoffOptions;
  /** Outbound calls per account: Telegram allows about 30 messages a second per bot. */
  readonly rate: TokenBucketOptions;
  /** A 429 is retried this many times, when its retry_after is within `maxRetryAfterMs`. */
  readonly maxRateLimitRetries: number;
  readonly maxRetryAfterMs: number;
  /** A chat call whose connection failed is retried this many times (when that is safe), this far apart. */
  readonly maxNetworkRetries: number;
  readonly networkRetryBackoff: BackoffOptions;
  /** The least time between two edits of a streamed reply (Telegram allows about one a second per chat). */
  readonly editIntervalMs: number;
  /** `typing` lasts 5 s on Telegram's side; it is repeated this often while a turn runs. */
  readonly typingIntervalMs: number;
  /** A typing indicator nobody stopped ends after this long. */
  readonly typingMaxMs: number;
  /** Updates queued but not yet handed on, beyond which polling waits (backpressure). */
  readonly maxPendingUpdates: number;
  /** Webhook mode: how often getWebhookInfo confirms the webhook is still set and delivering. */
  readonly webhookCheckIntervalMs: number;
  /** Uniform in [0, 1), for jitter. */
  readonly random: () => number;
}

export const DEFAULT_TUNING: TelegramTuning = {
  pollTimeoutSeconds: 30,
  stallGraceMs: 15_000,
  requestTimeoutMs: 30_000,
  backoff: { initialMs: 1_000, maxMs: 60_000 },
  conflictBackoff: { initialMs: 5_000, maxMs: 60_000 },
  rate: { ratePerSecond: 30, capacity: 20 },
  maxRateLimitRetries: 3,
  maxRetryAfterMs: 60_000,
  maxNetworkRetries: 3,
  networkRetryBackoff: { initialMs: 250, maxMs: 2_000 },
  editIntervalMs: 1_000,
  typingIntervalMs: 4_000,
  typingMaxMs: 5 * 60_000,
  maxPendingUpdates: 1_000,
  webhookCheckIntervalMs: 60_000,
  random: Math.random,
};

export function tuningWith(overrides: Partial<TelegramTuning> = {}): TelegramTuning {
  return { ...DEFAULT_TUNING, ...overrides };
}
