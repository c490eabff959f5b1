import { isRetryableReason, shouldFailoverReason, type ProviderError } from '@nexus/plugin-sdk';
import type { FailoverPolicy } from './model-client.js';

export const DEFAULT_POLICY: FailoverPolicy = {
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
  timeoutMs: 120_000,
  cooldownAfterFailures: 3,
  cooldownMs: 60_000,
};

/** What the chain does after a failed attempt. */
export type NextStep = { readonly kind: 'retry'; readonly delayMs: number } | { readonly kind: 'failover' } | { readonly kind: 'give_up' };

export interface AttemptOutcome {
  readonly error: ProviderError;
  /** 1 for the first attempt of this candidate. */
  readonly attempt: number;
  /** Text or a tool call already reached the caller: nothing can be taken back. */
  readonly delivered: boolean;
  readonly hasNextCandidate: boolean;
}

/** Exponential backoff with jitter: the doubled delay, capped, then between half and all of it. */
export function backoffMs(retry: number, policy: FailoverPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Retry while the reason is transient and retries remain (waiting what `retry-after` asks, if it
 * is reasonable); fail over when another provider may succeed; otherwise give up. Once anything
 * was delivered, a retry or failover would repeat or contradict it, so the chain gives up.
 */
export function nextStep(outcome: AttemptOutcome, policy: FailoverPolicy, random: () => number): NextStep {
  const { error, attempt, delivered, hasNextCandidate } = outcome;
  if (delivered) return { kind: 'give_up' };
  if (isRetryableReason(error.reason) && attempt <= policy.maxRetries) {
    const asked = error.retryAfterMs;
    if (asked === undefined) return { kind: 'retry', delayMs: backoffMs(attempt, policy, random) };
    if (asked <= policy.maxRetryAfterMs) return { kind: 'retry', delayMs: asked };
  }
  if (hasNextCandidate && (shouldFailoverReason(error.reason) || isRetryableReason(error.reason))) return { kind: 'failover' };
  return { kind: 'give_up' };
}
