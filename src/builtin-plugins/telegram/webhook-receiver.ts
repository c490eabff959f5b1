import { createHash, timingSafeEqual } from 'node:crypto';
import type { Update } from 'grammy/types';
import type { ChannelTimers } from '@nexus/plugin-sdk/channel';
import type { Logger } from '@nexus/plugin-sdk';
import type { AccountActivity } from './account-activity.js';

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** An HTTP request as any server hands it over: lower- or mixed-case headers, the raw body. */
export interface WebhookRequest {
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly body: Uint8Array;
}

export interface WebhookResponse {
  readonly status: number;
  readonly body: string;
}

/** Whether `given` is the secret, compared in constant time whatever the lengths. */
export function secretMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}

export interface WebhookReceiverDeps {
  readonly accountId: string;
  readonly secret: string;
  readonly activity: AccountActivity;
  readonly timers: ChannelTimers;
  readonly logger: Logger;
  readonly accepting: () => boolean;
  readonly accept: (updates: readonly Update[]) => Promise<void>;
}

const json = (status: number, body: Record<string, unknown>): WebhookResponse => ({ status, body: JSON.stringify(body) });

/**
 * Webhook mode's inbound side, independent of any HTTP server: the plugin's route hands it the
 * headers and raw body and sends back the status. Telegram proves a delivery is its own with
 * the secret given to setWebhook, in X-Telegram-Bot-Api-Secret-Token; anything else is 401.
 * A 2xx tells Telegram the update is taken, so it is answered once the update is queued, not
 * after the agent's turn; Telegram redelivers on any other answer, and the dispatcher drops
 * the repeats.
 */
export class WebhookReceiver {
  constructor(private readonly deps: WebhookReceiverDeps) {}

  async handle(request: WebhookRequest): Promise<WebhookResponse> {
    const { activity, logger, accountId } = this.deps;
    if (!secretMatches(this.deps.secret, header(request, SECRET_HEADER))) {
      activity.counters.webhookRejected++;
      logger.warn('a Telegram webhook request without the right secret token was refused', { account: accountId });
      return json(401, { ok: false, error: `missing or wrong ${SECRET_HEADER}: only Telegram, given webhook_secret by setWebhook, may post here` });
    }
    if (!this.deps.accepting()) return json(503, { ok: false, error: `the Telegram account ${accountId} is not running; Telegram will retry` });
    let update: unknown;
    try {
      update = JSON.parse(new TextDecoder().decode(request.body));
    } catch (error) {
      return json(400, { ok: false, error: `the body is not JSON: ${(error as Error).message}` });
    }
    if (typeof update !== 'object' || update === null || typeof (update as Update).update_id !== 'number') return json(400, { ok: false, error: 'the body is not a Telegram Update (no numeric update_id)' });
    activity.lastWebhookOkAt = this.deps.timers.now();
    activity.recovered();
    await this.deps.accept([update as Update]);
    return json(200, { ok: true });
  }
}

function header(request: WebhookRequest, name: string): string | undefined {
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() !== name) continue;
    return Array.isArray(value) ? (value[0] as string | undefined) : (value as string | undefined);
  }
  return undefined;
}
