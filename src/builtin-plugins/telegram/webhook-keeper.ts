import type { Api } from 'grammy';
import { backoffDelay, errorStatus, sleep, type ChannelTimers } from '@nexus/plugin-sdk/channel';
import type { Logger } from '@nexus/plugin-sdk';
import type { AccountActivity } from './account-activity.js';
import { ALLOWED_UPDATES } from './long-poller.js';
import { describeFailure, withoutCredentials } from './telegram-errors.js';
import type { TelegramTuning } from './tuning.js';
import { grammySignal } from './grammy-signal.js';

export interface WebhookKeeperDeps {
  readonly api: Api;
  readonly url: string;
  readonly secret: string;
  readonly apiRoot: string;
  readonly token: string;
  readonly activity: AccountActivity;
  readonly timers: ChannelTimers;
  readonly tuning: TelegramTuning;
  readonly logger: Logger;
}

/**
 * Webhook mode's outbound side: registers the webhook (setWebhook with the secret token),
 * retrying with backoff while the API is unreachable, then checks with getWebhookInfo every
 * `webhookCheckIntervalMs` that it is still ours and that Telegram's deliveries succeed. A quiet
 * bot gets no webhook hits, so these checks are what keeps its health current. Someone setting
 * another URL (a second deployment, a manual curl) is reported and undone.
 */
export class WebhookKeeper {
  constructor(private readonly deps: WebhookKeeperDeps) {}

  async run(signal: AbortSignal): Promise<void> {
    const { activity, timers, tuning } = this.deps;
    let registered = false;
    let lastSeenError: number | undefined;
    while (!signal.aborted) {
      let delay = tuning.webhookCheckIntervalMs;
      try {
        if (!registered) {
          await this.deps.api.setWebhook(this.deps.url, { secret_token: this.deps.secret, allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false }, grammySignal(signal));
          registered = true;
          this.deps.logger.info('Telegram webhook registered', { url: this.deps.url });
        }
        const info = await this.deps.api.getWebhookInfo(grammySignal(signal));
        if (info.url !== this.deps.url) {
          activity.warning = `the webhook was changed to "${info.url || '(none)'}" outside this gateway (another deployment?); it is set back to ${this.deps.url}`;
          registered = false;
          continue;
        }
        if (info.last_error_date !== undefined && info.last_error_date !== lastSeenError) {
          lastSeenError = info.last_error_date;
          activity.failure(`Telegram could not deliver to ${this.deps.url}: ${info.last_error_message ?? 'unknown error'} (${info.pending_update_count} update(s) waiting)`, info.last_error_date * 1000);
        } else {
          activity.lastWebhookOkAt = timers.now();
          activity.recovered();
        }
      } catch (error) {
        if (signal.aborted) return;
        const status = errorStatus(error);
        const described = describeFailure(error, this.deps);
        if (status === 401 || status === 404) {
          activity.fatal = status === 401 ? 'Telegram rejected the bot token (401 Unauthorized); get the current one from @BotFather (/token)' : `${withoutCredentials(this.deps.apiRoot)} answered 404: api_base_url is not a Bot API server`;
          activity.state = 'failed';
          activity.failure(activity.fatal, timers.now());
          return;
        }
        activity.failure(registered ? described : `could not register the webhook: ${described}`, timers.now());
        activity.state = 'backing_off';
        delay = backoffDelay(activity.consecutiveFailures, { ...tuning.backoff, random: tuning.random });
        activity.nextRetryAt = timers.now() + delay;
      }
      try {
        await sleep(timers, delay, signal);
      } catch {
        return;
      }
    }
  }
}
