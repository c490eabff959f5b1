import { Bot, type Transformer } from 'grammy';
import { backoffDelay, sleep, TokenBucket, type ChannelTimers } from '@nexus/plugin-sdk/channel';
import type { Logger } from '@nexus/plugin-sdk';
import type { AccountActivity } from './account-activity.js';
import type { TelegramAccountConfig } from './account-config.js';
import { describeFailure, TelegramTimeoutError } from './telegram-errors.js';
import type { TelegramTuning } from './tuning.js';
import { grammySignal, nodeSignal } from './grammy-signal.js';
import { attemptCall, createApiAgent, type ConnectionFailure } from './connection-retry.js';

/** Calls that post into chats, which Telegram rate-limits; polling and lookups are not throttled. */
const THROTTLED = new Set(['sendMessage', 'editMessageText', 'sendChatAction', 'sendDocument', 'sendPhoto', 'sendAudio', 'sendVideo', 'sendVoice', 'sendAnimation', 'deleteMessage', 'copyMessage', 'forwardMessage']);
/**
 * Chat calls that do no harm when they ran twice, so they are retried even when the failed
 * attempt may have reached Telegram (a timeout, a reset on a fresh connection): an edit to the
 * same text answers "not modified", which the poster ignores, and a chat action just repeats.
 * A send is not among them: retrying it then could post the reply twice, so it fails visibly instead.
 */
const IDEMPOTENT = new Set(['editMessageText', 'sendChatAction']);

export interface ApiClientDeps {
  readonly config: TelegramAccountConfig;
  readonly tuning: TelegramTuning;
  readonly timers: ChannelTimers;
  readonly activity: AccountActivity;
  readonly logger: Logger;
}

/**
 * The account's grammY bot, its API calls passed through one transformer that:
 * - waits for the account's token bucket before every call that posts into a chat;
 * - on 429 waits the `retry_after` Telegram gave (within a cap) and tries again;
 * - retries a chat call whose connection failed, with a short backoff, when the request certainly
 *   did not reach Telegram (refused, unresolvable, or a kept-alive socket the server had just
 *   closed), and for idempotent calls also when it may have (see `IDEMPOTENT`);
 * - gives every call a deadline on the injected clock: a poll gets its long-poll timeout plus a
 *   grace, anything else `requestTimeoutMs`, so a half-open connection ends in a timeout error
 *   instead of hanging forever;
 * - records each ok answer, which health reads as "the API answers".
 */
export function createBot(deps: ApiClientDeps): { readonly bot: Bot; readonly limiter: TokenBucket } {
  const { config, tuning, timers, activity, logger } = deps;
  const bot = new Bot(config.bot_token, {
    client: {
      apiRoot: config.api_base_url,
      // grammY's own timer is only a backstop; the transformer's deadline comes first.
      timeoutSeconds: tuning.pollTimeoutSeconds + Math.ceil((tuning.stallGraceMs + tuning.requestTimeoutMs) / 1000) + 60,
      // grammY's keep-alive agent, but one that tells a reused socket's reset from other failures.
      baseFetchConfig: { agent: createApiAgent(config.api_base_url), compress: config.api_base_url.startsWith('https:') },
    },
  });
  const limiter = new TokenBucket(tuning.rate, timers);

  const transformer: Transformer = async (prev, method, payload, grammyOuter) => {
    const signal = nodeSignal(grammyOuter);
    const deadlineMs = method === 'getUpdates' ? Number((payload as { timeout?: number }).timeout ?? 0) * 1000 + tuning.stallGraceMs : tuning.requestTimeoutMs;
    let networkRetries = 0;
    for (let rateLimitRetries = 0; ; ) {
      if (THROTTLED.has(method)) await limiter.take(1, signal);
      const outcome = await attemptCall(() => withDeadline(timers, deadlineMs, method, signal, (s) => prev(method, payload, grammySignal(s))));
      if (!outcome.ok) {
        if (signal?.aborted || !retriesAfter(method, outcome.failure) || networkRetries >= tuning.maxNetworkRetries) throw outcome.error;
        networkRetries++;
        const waitMs = backoffDelay(networkRetries, { ...tuning.networkRetryBackoff, random: tuning.random });
        logger.warn(`Telegram ${method} failed on the connection (${outcome.failure === 'unsent' ? 'it never reached the server' : 'idempotent call'}); retrying in ${waitMs} ms`, {
          method,
          chat: (payload as { chat_id?: unknown }).chat_id,
          error: describeFailure(outcome.error, { apiRoot: config.api_base_url, token: config.bot_token }),
          attempt: networkRetries,
        });
        await sleep(timers, waitMs, signal);
        continue;
      }
      const result = outcome.value;
      if (result.ok) {
        activity.lastApiOkAt = timers.now();
        return result;
      }
      if (result.error_code !== 429 || method === 'getUpdates') return result;
      activity.counters.rateLimited++;
      const waitMs = (result.parameters?.retry_after ?? 1) * 1000;
      if (rateLimitRetries >= tuning.maxRateLimitRetries || waitMs > tuning.maxRetryAfterMs) return result;
      rateLimitRetries++;
      logger.warn(`Telegram rate-limited ${method}; retrying in ${waitMs} ms as it asked`, { method, retryAfterMs: waitMs, attempt: rateLimitRetries });
      await sleep(timers, waitMs, signal);
    }
  };
  bot.api.config.use(transformer);
  return { bot, limiter };
}

/** Whether a chat call may go again after its connection failed this way (see `IDEMPOTENT`). */
function retriesAfter(method: string, failure: ConnectionFailure): boolean {
  if (!THROTTLED.has(method)) return false;
  return failure === 'unsent' || (failure === 'ambiguous' && IDEMPOTENT.has(method));
}

async function withDeadline<T>(timers: ChannelTimers, ms: number, method: string, outer: AbortSignal | undefined, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) controller.abort(outer.reason);
  else outer?.addEventListener('abort', onAbort, { once: true });
  const timer = timers.setTimeout(() => {
    timedOut = true;
    controller.abort(new TelegramTimeoutError(method, ms));
  }, ms);
  try {
    return await call(controller.signal);
  } catch (error) {
    if (timedOut) throw new TelegramTimeoutError(method, ms);
    throw error;
  } finally {
    timers.clearTimeout(timer);
    outer?.removeEventListener('abort', onAbort);
  }
}
