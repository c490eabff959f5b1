import { randomUUID } from 'node:crypto';
import { HttpError, type Clock, type HttpRequest, type HttpResponse, type HttpRoute, type InboundMessage } from '@nexus/plugin-sdk';
import type { InboundDedup } from './inbound-dedup.js';
import { parseJson, readInboundPayload } from './inbound-payload.js';
import type { ReplayGuard } from './replay-guard.js';
import { checkStorable } from './storable-checks.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './signature.js';
import type { WebhookActivity } from './webhook-activity.js';
import type { WebhookChannel } from './webhook-channel.js';
import type { WebhookSettings } from './webhook-settings.js';

export interface InboundRouteDeps {
  readonly settings: WebhookSettings;
  readonly channel: WebhookChannel;
  readonly replays: ReplayGuard;
  readonly activity: WebhookActivity;
  readonly dedup: InboundDedup;
  readonly agentId: string;
  readonly clock: Clock;
}

const unauthenticated = (code: string, message: string) => new HttpError(401, code, message);

/**
 * `POST /channels/webhook/<account>`: checks the signature (the server leaves `signature` routes
 * to check themselves), the timestamp's age and that the request is not a replay, then validates
 * the message and hands it over. 202 means accepted for processing; the reply comes back later
 * through the account's callback URL.
 */
export function inboundRoute(deps: InboundRouteDeps): HttpRoute {
  return {
    handle: (request) => receive(deps, request),
  };
}

async function receive(deps: InboundRouteDeps, request: HttpRequest): Promise<HttpResponse> {
  const { settings, channel, replays, clock } = deps;
  const segment = /^\/([^/]+)$/.exec(request.subpath)?.[1];
  if (segment === undefined) throw new HttpError(404, 'not_found', `no route serves ${request.path}; post to /channels/webhook/<account>`);
  if (request.method !== 'POST') throw new HttpError(405, 'method_not_allowed', `${request.path} answers POST only`, { allow: 'POST' });
  const accountId = decode(segment);
  const account = Object.hasOwn(settings.accounts, accountId) ? settings.accounts[accountId] : undefined;
  if (!account) throw new HttpError(404, 'unknown_account', `there is no webhook account "${accountId}"`);
  if (!account.secret) throw unauthenticated('account_without_secret', `webhook account "${accountId}" accepts no requests until it has a secret (channels.webhook.accounts.${accountId}.secret)`);

  const timestamp = header(request, TIMESTAMP_HEADER);
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) throw unauthenticated('bad_timestamp', `send the unix time in seconds in ${TIMESTAMP_HEADER}`);
  const now = clock.now();
  const skewSeconds = Math.abs(now / 1000 - Number(timestamp));
  if (skewSeconds > settings.max_skew_seconds) {
    throw unauthenticated('stale_timestamp', `${TIMESTAMP_HEADER} is ${Math.round(skewSeconds)} s away from the server's clock (at most ${settings.max_skew_seconds} s allowed); sign each request when sending it and keep clocks in sync`);
  }
  const signature = header(request, SIGNATURE_HEADER);
  if (!signature) throw unauthenticated('missing_signature', `send ${SIGNATURE_HEADER}: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the account secret>`);
  if (!verifySignature(account.secret, timestamp, request.body, signature)) {
    throw unauthenticated('bad_signature', `${SIGNATURE_HEADER} does not match the body: sign "<timestamp>.<raw body>" with HMAC-SHA256 and the account secret`);
  }
  const replayKey = `${accountId}\n${timestamp}\n${signature.trim().toLowerCase()}`;
  if (replays.seenBefore(replayKey, now)) throw unauthenticated('replayed_request', 'this timestamp and signature were already used; sign every request afresh');

  const payload = readInboundPayload(parseJson(request.body));
  const messageId = payload.message_id ?? randomUUID();
  // Everything the store would refuse is refused now, while the sender can still be told.
  checkStorable(payload, { accountId, agentId: deps.agentId, messageId });
  const busy = channel.unavailable();
  if (busy) throw new HttpError(503, 'channel_unavailable', busy, { 'retry-after': '5' });
  if (!replays.remember(replayKey, Number(timestamp) * 1000, now)) {
    throw new HttpError(503, 'busy', 'too many requests in the replay window; try again shortly', { 'retry-after': '5' });
  }
  if (payload.message_id !== undefined) {
    const original = await deps.dedup.seenBefore(accountId, payload.message_id);
    if (original) {
      deps.activity.touch(now);
      return { status: 200, json: { accepted: true, duplicate: true, message_id: original.messageId, first_received_at: new Date(original.receivedAt).toISOString() } };
    }
  }

  const message: InboundMessage = {
    channel: 'webhook',
    accountId,
    externalId: messageId,
    senderId: payload.sender_id,
    content: payload.content,
    attachments: payload.attachments,
    metadata: { ...payload.metadata, conversation_id: payload.conversation_id },
    receivedAt: now,
  };
  deps.activity.touch(now);
  channel.deliver(message);
  return { status: 202, json: { accepted: true, message_id: message.externalId } };
}

function header(request: HttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(404, 'unknown_account', 'the account in the path is not valid percent-encoding');
  }
}
