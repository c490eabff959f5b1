import type { ChannelAccountStatus, ChannelStatus } from '@nexus/plugin-sdk';
import type { AccountActivity, AccountCounters, AccountState } from './account-activity.js';
import type { TelegramTuning } from './tuning.js';

/** Everything `channels status` shows for one account. */
export interface TelegramAccountStatus {
  readonly accountId: string;
  readonly mode: 'polling' | 'webhook';
  readonly state: AccountState;
  /** Derived from the age of the last success, never set directly. */
  readonly healthy: boolean;
  readonly bot?: { readonly id: number; readonly username: string };
  /** The last getUpdates that answered (polling), or webhook delivery or check that succeeded. */
  readonly lastSuccessAt?: number;
  readonly lastSuccessAgeMs?: number;
  /** How old the last success may be before the account counts as stalled. */
  readonly staleAfterMs: number;
  readonly lastInboundAt?: number;
  /** Why the account is not healthy, in words an operator can act on. */
  readonly problem?: string;
  readonly warning?: string;
  readonly lastError?: { readonly message: string; readonly at: number };
  readonly consecutiveFailures: number;
  readonly nextRetryAt?: number;
  readonly pendingInbound: number;
  readonly counters: Readonly<AccountCounters>;
}

/** How long without a success means stalled: a poll answers within its timeout; a webhook is checked every interval. */
export function staleAfterMs(mode: 'polling' | 'webhook', tuning: TelegramTuning): number {
  return mode === 'polling' ? tuning.pollTimeoutSeconds * 1000 + tuning.stallGraceMs : 2 * tuning.webhookCheckIntervalMs + tuning.requestTimeoutMs;
}

/**
 * Health from facts: the account is healthy when it runs, its last failure has been followed
 * by a success, and its last success is younger than `staleAfterMs`. A half-open connection
 * (a poll that never answers, no error, no close) shows up here as a growing age, before the
 * poll's own deadline gives up on it.
 */
export function accountStatus(input: { readonly accountId: string; readonly mode: 'polling' | 'webhook'; readonly activity: AccountActivity; readonly tuning: TelegramTuning; readonly now: number; readonly pendingInbound: number }): TelegramAccountStatus {
  const { activity, mode, now } = input;
  const limit = staleAfterMs(mode, input.tuning);
  const lastSuccessAt = mode === 'polling' ? activity.lastPollOkAt : activity.lastWebhookOkAt;
  const since = lastSuccessAt ?? activity.startedAt;
  const age = since === undefined ? undefined : now - since;
  const what = mode === 'polling' ? 'getUpdates answer' : 'webhook delivery or check';
  let problem: string | undefined;
  if (activity.fatal) problem = activity.fatal;
  else if (activity.state === 'stopped') problem = 'stopped';
  else if (activity.consecutiveFailures > 0 && activity.lastError) {
    const retry = activity.nextRetryAt !== undefined ? `; retrying in ${Math.max(0, Math.round((activity.nextRetryAt - now) / 1000))} s` : '';
    problem = `${activity.lastError.message} (${activity.consecutiveFailures} failure(s) in a row${retry})`;
  } else if (activity.backpressureSince !== undefined) {
    problem = `receiving paused for ${Math.round((now - activity.backpressureSince) / 1000)} s: ${input.pendingInbound} message(s) wait for the agent to catch up`;
  } else if (age !== undefined && age > limit) {
    problem =
      lastSuccessAt === undefined
        ? `no successful ${what} in the ${Math.round(age / 1000)} s since start (expected within ${Math.round(limit / 1000)} s)`
        : `no successful ${what} for ${Math.round(age / 1000)} s (expected within ${Math.round(limit / 1000)} s): the connection may be half-open; it is being re-established`;
  } else if (lastSuccessAt === undefined) problem = `starting: no ${what} yet`;
  return {
    accountId: input.accountId,
    mode,
    state: activity.state,
    healthy: problem === undefined,
    ...(activity.bot ? { bot: { id: activity.bot.id, username: activity.bot.username } } : {}),
    ...(lastSuccessAt !== undefined ? { lastSuccessAt, lastSuccessAgeMs: now - lastSuccessAt } : {}),
    staleAfterMs: limit,
    ...(activity.lastInboundAt !== undefined ? { lastInboundAt: activity.lastInboundAt } : {}),
    ...(problem !== undefined ? { problem } : {}),
    ...(activity.warning ? { warning: activity.warning } : {}),
    ...(activity.lastError ? { lastError: activity.lastError } : {}),
    consecutiveFailures: activity.consecutiveFailures,
    ...(activity.nextRetryAt !== undefined ? { nextRetryAt: activity.nextRetryAt } : {}),
    pendingInbound: input.pendingInbound,
    counters: { ...activity.counters },
  };
}

/** The contract's short form. */
export function toChannelStatus(status: TelegramAccountStatus): ChannelStatus {
  const lastActivityAt = Math.max(status.lastSuccessAt ?? 0, status.lastInboundAt ?? 0);
  const error = [status.problem, status.warning].filter(Boolean).join('; ');
  return { connected: status.healthy, ...(error ? { error } : {}), ...(lastActivityAt > 0 ? { lastActivityAt } : {}) };
}

/**
 * One account in `ChannelStatus.accounts`: connected from the age of the last success, the
 * state in the contract's words, and the counters `channels status` shows.
 */
export function toAccountStatus(status: TelegramAccountStatus): ChannelAccountStatus {
  const short = toChannelStatus(status);
  const state = status.state === 'running' ? (status.healthy ? 'connected' : 'reconnecting') : status.state === 'starting' ? 'connecting' : status.state === 'backing_off' ? 'reconnecting' : status.state;
  const lastInboundAt = Math.max(status.lastSuccessAt ?? 0, status.lastInboundAt ?? 0);
  return {
    connected: status.healthy,
    state,
    ...(short.error ? { error: short.error } : {}),
    ...(lastInboundAt > 0 ? { lastInboundAt } : {}),
    received: status.counters.received,
    sent: status.counters.sent,
    failed: status.counters.failed,
    refused: status.counters.refused,
  };
}
