import type { Api } from 'grammy';
import type { Update } from 'grammy/types';
import { backoffDelay, classifyDeliveryError, errorStatus, retryAfterMs, sleep, type ChannelTimers } from '@nexus/plugin-sdk/channel';
import type { Logger } from '@nexus/plugin-sdk';
import type { AccountActivity } from './account-activity.js';
import type { UpdateOffsetStore } from './ports.js';
import { describeFailure, withoutCredentials } from './telegram-errors.js';
import type { TelegramTuning } from './tuning.js';
import { grammySignal } from './grammy-signal.js';

/** The update types the channel handles; Telegram drops the others before they reach us. */
export const ALLOWED_UPDATES = ['message', 'channel_post'] as const;

export interface LongPollerDeps {
  readonly api: Api;
  readonly botId: string;
  readonly apiRoot: string;
  readonly token: string;
  readonly offsets: UpdateOffsetStore;
  readonly activity: AccountActivity;
  readonly timers: ChannelTimers;
  readonly tuning: TelegramTuning;
  readonly logger: Logger;
  /** Takes a batch in order; resolves once each update is queued for its chat (not handled). */
  readonly accept: (updates: readonly Update[]) => Promise<void>;
}

/**
 * Long polling that survives what real networks and operators do to it:
 * - the webhook is deleted before the first poll (Telegram refuses getUpdates while one is set);
 * - 409 Conflict (another poller somewhere, or a webhook set again) is not fatal: it backs off
 *   with jitter, clears the webhook again and keeps going, and health reports it;
 * - network errors, 5xx and stalled polls (see the deadline in api-client.ts) reconnect with
 *   exponential backoff and jitter; 429 waits as long as Telegram asked;
 * - 401 and 404 (the token is wrong or revoked, or the URL is not a Bot API) stop the poller
 *   with a message that says which, since retrying cannot fix them;
 * - the next offset is saved after every batch, so a restart continues where this one stopped.
 */
export class LongPoller {
  constructor(private readonly deps: LongPollerDeps) {}

  /** Polls until `signal` aborts, or a failure retrying cannot fix. */
  async run(signal: AbortSignal): Promise<void> {
    const { api, activity, timers, tuning, logger, offsets, botId } = this.deps;
    let offset = await offsets.load(botId).catch((error: Error) => {
      activity.warning = `could not read the saved update offset (${error.message}); updates not yet confirmed may be handled again`;
      return undefined;
    });
    let clearWebhook = true;
    // The first poll after (re)connecting returns at once, so health knows within a round trip
    // that polling works, instead of after a whole long-poll timeout of an idle bot.
    let confirmed = false;
    while (!signal.aborted) {
      try {
        if (clearWebhook) {
          // drop_pending_updates stays false: messages sent while we were away are still wanted.
          await api.deleteWebhook({ drop_pending_updates: false }, grammySignal(signal));
          clearWebhook = false;
        }
        const updates = await api.getUpdates({ timeout: confirmed ? tuning.pollTimeoutSeconds : 0, limit: 100, allowed_updates: [...ALLOWED_UPDATES], ...(offset !== undefined ? { offset } : {}) }, grammySignal(signal));
        activity.lastPollOkAt = timers.now();
        activity.recovered();
        confirmed = true;
        if (updates.length === 0) continue;
        await this.deps.accept(updates);
        offset = updates.at(-1)!.update_id + 1;
        await this.save(offset);
      } catch (error) {
        if (signal.aborted) return;
        confirmed = false;
        const delay = this.failed(error);
        if (delay === undefined) return;
        if (errorStatus(error) === 409) clearWebhook = true;
        activity.state = 'backing_off';
        activity.nextRetryAt = timers.now() + delay;
        logger.warn(`Telegram polling failed; retrying in ${delay} ms`, { bot: botId, error: activity.lastError?.message, attempt: activity.consecutiveFailures });
        try {
          await sleep(timers, delay, signal);
        } catch {
          return;
        }
      }
    }
  }

  /** Records a failure; the delay before the next attempt, or undefined when polling must stop. */
  private failed(error: unknown): number | undefined {
    const { activity, timers, tuning, apiRoot, token } = this.deps;
    const now = timers.now();
    const status = errorStatus(error);
    const described = describeFailure(error, { apiRoot, token });
    if (status === 401 || status === 404) {
      activity.fatal =
        status === 401
          ? `Telegram rejected the bot token (401 Unauthorized): it is wrong or was revoked; get the current one from @BotFather (/token) and restart the channel`
          : `${withoutCredentials(apiRoot)} answered 404 to getUpdates: the token is malformed or api_base_url does not point at a Bot API server`;
      activity.failure(activity.fatal, now);
      activity.state = 'failed';
      this.deps.logger.error(`Telegram polling stopped: ${activity.fatal}`, { bot: this.deps.botId });
      return undefined;
    }
    if (status === 409) {
      activity.counters.conflicts++;
      activity.failure(`409 Conflict: ${described}. Another process polls this bot, or a webhook was set; clearing the webhook and retrying`, now);
      return backoffDelay(activity.consecutiveFailures, { ...tuning.conflictBackoff, random: tuning.random });
    }
    activity.failure(described, now);
    if (classifyDeliveryError(error).kind === 'rate_limited') {
      activity.counters.rateLimited++;
      return retryAfterMs(error, now) ?? tuning.backoff.initialMs;
    }
    return backoffDelay(activity.consecutiveFailures, { ...tuning.backoff, random: tuning.random });
  }

  private async save(offset: number): Promise<void> {
    try {
      await this.deps.offsets.save(this.deps.botId, offset);
      if (this.deps.activity.warning?.startsWith('could not save')) this.deps.activity.warning = undefined;
    } catch (error) {
      // Polling goes on (Telegram already confirmed the batch); a restart may see it again.
      this.deps.activity.warning = `could not save the update offset ${offset} (${(error as Error).message}); after a restart, updates already handled may be seen again`;
    }
  }
}
