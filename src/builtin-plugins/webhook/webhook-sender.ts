import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChannelOutbound, Clock, DeliveryReceipt, Logger, OutboundMessage } from '@nexus/plugin-sdk';
import type { DeadLetterFile } from './dead-letters.js';
import { DELIVERY_HEADER, sign, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.js';
import type { WebhookActivity } from './webhook-activity.js';
import type { WebhookSettings } from './webhook-settings.js';

/** A reply that could not be delivered after every retry; it is in the dead-letter file. */
export class WebhookDeliveryError extends Error {
  /** The `message.failed` code the gateway reports. */
  readonly code = 'delivery_failed';
  constructor(message: string) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

export interface WebhookSenderDeps {
  readonly settings: WebhookSettings;
  readonly deadLetters: DeadLetterFile;
  readonly activity: WebhookActivity;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Waits between attempts; tests replace it to control time. */
  readonly wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

type Attempt = { readonly ok: true } | { readonly ok: false; readonly error: string; readonly retry: boolean; readonly retryAfterMs?: number };

/**
 * Posts replies to the account's callback URL, signed like inbound requests. Network errors,
 * 408, 425, 429 and 5xx are retried with exponential backoff (honouring Retry-After); other
 * answers are final. Every attempt carries the same delivery id so the receiver can de-duplicate.
 * A reply that still fails goes to the dead-letter file before the error is thrown.
 */
export class WebhookSender implements ChannelOutbound {
  private readonly wait: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(private readonly deps: WebhookSenderDeps) {
    this.wait = deps.wait ?? ((ms, signal) => sleep(ms, undefined, { signal }));
  }

  async send(message: OutboundMessage, options: { readonly signal: AbortSignal }): Promise<DeliveryReceipt> {
    const { settings, clock } = this.deps;
    const account = settings.accounts[message.accountId];
    const deliveryId = randomUUID();
    const payload = outboundPayload(message, deliveryId, clock.now());
    const body = new TextEncoder().encode(JSON.stringify(payload));
    const url = account?.callback_url;
    const fail = (attempts: number, error: string) => this.deadLetter(message.accountId, url, deliveryId, attempts, error, payload);

    if (!account) return fail(0, `there is no webhook account "${message.accountId}" (channels.webhook.accounts)`);
    if (!url) return fail(0, `account "${message.accountId}" has no callback_url, so its replies cannot be delivered; set channels.webhook.accounts.${message.accountId}.callback_url`);
    if (!account.secret) return fail(0, `account "${message.accountId}" has no secret to sign its replies with; set channels.webhook.accounts.${message.accountId}.secret`);

    const { attempts, initial_delay_ms, max_delay_ms } = settings.retry;
    let last = 'not attempted';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const result = await this.attempt(url, account.secret, deliveryId, body, options.signal);
      if (result.ok) {
        this.deps.activity.touch(clock.now());
        return { externalId: deliveryId, deliveredAt: clock.now() };
      }
      last = result.error;
      if (!result.retry || options.signal.aborted || attempt === attempts) return fail(attempt, last);
      const backoff = Math.min(max_delay_ms, initial_delay_ms * 2 ** (attempt - 1));
      const delay = Math.min(max_delay_ms, Math.max(backoff, result.retryAfterMs ?? 0));
      this.deps.logger.warn(`webhook delivery attempt ${attempt} of ${attempts} failed; retrying in ${delay} ms`, { account: message.accountId, deliveryId, error: last });
      try {
        await this.wait(delay, options.signal);
      } catch {
        return fail(attempt, `${last}; then cancelled while waiting to retry`);
      }
    }
    return fail(attempts, last);
  }

  private async attempt(url: string, secret: string, deliveryId: string, body: Uint8Array, signal: AbortSignal): Promise<Attempt> {
    // Signed per attempt, so a retry minutes later is not refused as stale.
    const timestamp = String(Math.floor(this.deps.clock.now() / 1000));
    try {
      const response = await fetch(url, {
        method: 'POST',
        body,
        // A redirect would re-send a signed body somewhere the operator did not configure.
        redirect: 'manual',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'nexus-webhook/0.1',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: sign(secret, timestamp, body),
          [DELIVERY_HEADER]: deliveryId,
        },
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.deps.settings.callback_timeout_ms)]),
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300) return { ok: true };
      const status = response.status;
      const retry = status === 408 || status === 425 || status === 429 || status >= 500;
      const redirect = status >= 300 && status < 400 ? ' (redirects are not followed; set callback_url to the final URL)' : '';
      return { ok: false, error: `the callback answered ${status}${redirect}`, retry, retryAfterMs: retryAfter(response.headers.get('retry-after'), this.deps.clock.now()) };
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${this.deps.settings.callback_timeout_ms} ms` : (cause?.code ?? cause?.message ?? (error as Error).message);
      return { ok: false, error: `the callback is unreachable: ${reason}`, retry: !signal.aborted };
    }
  }

  private async deadLetter(account: string, url: string | undefined, deliveryId: string, attempts: number, error: string, payload: unknown): Promise<never> {
    const { deadLetters, logger, clock, activity } = this.deps;
    activity.deliveryFailed(`a reply to account ${account} could not be delivered: ${error}`);
    let where = `it is recorded in ${deadLetters.path}`;
    try {
      await deadLetters.append({ recorded_at: new Date(clock.now()).toISOString(), account, callback_url: url, delivery_id: deliveryId, attempts, error, payload });
    } catch (writeError) {
      where = `it could not be recorded in ${deadLetters.path} (${(writeError as Error).message}) and is kept in memory until the next write succeeds`;
    }
    logger.error(`webhook reply undeliverable: ${error}; ${where}`, { account, deliveryId, attempts });
    throw new WebhookDeliveryError(`the reply to webhook account ${account} was not delivered after ${attempts} attempt(s): ${error}; ${where}`);
  }
}

function outboundPayload(message: OutboundMessage, deliveryId: string, now: number): Record<string, unknown> {
  const { conversation_id: inboundConversation, ...metadata } = message.metadata ?? {};
  return {
    type: 'message',
    delivery_id: deliveryId,
    account: message.accountId,
    // The gateway's target is the session's scope key (`<account>:<conversation>`); the inbound
    // metadata still holds the integrator's own conversation id. A reply no inbound message
    // prompted (a cron job's, say) has only the target: the integrator's id is its second part.
    conversation_id: typeof inboundConversation === 'string' ? inboundConversation : conversationOfTarget(message),
    content: message.content,
    attachments: (message.attachments ?? []).map((a) => ({
      mime_type: a.mimeType,
      ...(a.name !== undefined ? { name: a.name } : {}),
      ...(a.url !== undefined ? { url: a.url } : {}),
      ...(a.data !== undefined ? { data: Buffer.from(a.data).toString('base64') } : {}),
    })),
    metadata,
    sent_at: new Date(now).toISOString(),
  };
}

/** Retry-After as seconds or an HTTP date, in ms from now. */
function retryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function conversationOfTarget(message: OutboundMessage): string {
  const prefix = `${message.accountId}:`;
  return message.target.startsWith(prefix) ? message.target.slice(prefix.length) : message.target;
}
