import { Bot, type Transformer } from 'grammy';
import { sleep, TokenBucket, type ChannelTimers } from '@nexus/plugin-sdk/channel';
import type { Logger } from '@nexus/plugin-sdk';
import type { AccountActivity } from './account-activity.js';
import type { TelegramAccountConfig } from './account-config.js';
import { TelegramTimeoutError } from './telegram-errors.js';
import type { TelegramTuning } from './tuning.js';
import { grammySignal, nodeSignal } from './grammy-signal.js';

/** Calls that post into chats, which Telegram rate-limits; polling and lookups are not throttled. */
const THROTTLED = new Set(['sendMessage', 'editMessageText', 'sendChatAction', 'sendDocument', 'sendPhoto', 'sendAudio', 'sendVideo', 'sendVoice', 'sendAnimation', 'deleteMessage', 'copyMessage', 'forwardMessage']);

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
    },
  });
  const limiter = new TokenBucket(tuning.rate, timers);

  const transformer: Transformer = async (prev, method, payload, grammyOuter) => {
    const signal = nodeSignal(grammyOuter);
    const deadlineMs = method === 'getUpdates' ? Number((payload as { timeout?: number }).timeout ?? 0) * 1000 + tuning.stallGraceMs : tuning.requestTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      if (THROTTLED.has(method)) await limiter.take(1, signal);
      const result = await withDeadline(timers, deadlineMs, method, signal, (s) => prev(method, payload, grammySignal(s)));
      if (result.ok) {
        activity.lastApiOkAt = timers.now();
        return result;
      }
      if (result.error_code !== 429 || method === 'getUpdates') return result;
      activity.counters.rateLimited++;
      const waitMs = (result.parameters?.retry_after ?? 1) * 1000;
      if (attempt >= tuning.maxRateLimitRetries || waitMs > tuning.maxRetryAfterMs) return result;
      logger.warn(`Telegram rate-limited ${method}; retrying in ${waitMs} ms as it asked`, { method, retryAfterMs: waitMs, attempt: attempt + 1 });
      await sleep(timers, waitMs, signal);
    }
  };
  bot.api.config.use(transformer);
  return { bot, limiter };
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
