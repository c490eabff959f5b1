import { HttpError, type HttpRequest, type HttpResponse, type HttpRoute } from '@nexus/plugin-sdk';
import type { TelegramChannel } from './telegram-channel.js';

/** Where webhook mode receives updates: `POST /channels/telegram/<account>` (the manifest's route). */
export const WEBHOOK_ROUTE_PREFIX = '/channels/telegram';

/**
 * Webhook mode's HTTP side, mounted by the HTTP plugin under a `signature` route: the server
 * leaves authentication to the route, and the account checks Telegram's secret token
 * (X-Telegram-Bot-Api-Secret-Token, in constant time) before it reads the body. Each account's
 * `webhook_url` must reach this path.
 */
export function webhookRoute(channel: () => Promise<TelegramChannel>): HttpRoute {
  return {
    async handle(request: HttpRequest): Promise<HttpResponse> {
      const segment = /^\/([^/]+)$/.exec(request.subpath)?.[1];
      if (segment === undefined) throw new HttpError(404, 'not_found', `no route serves ${request.path}; Telegram posts to ${WEBHOOK_ROUTE_PREFIX}/<account>`);
      if (request.method !== 'POST') throw new HttpError(405, 'method_not_allowed', `${request.path} answers POST only`, { allow: 'POST' });
      let accountId: string;
      try {
        accountId = decodeURIComponent(segment);
      } catch {
        throw new HttpError(404, 'unknown_account', 'the account in the path is not valid percent-encoding');
      }
      const telegram = await channel();
      const account = telegram.accounts.get(accountId);
      if (!account) throw new HttpError(404, 'unknown_account', `there is no Telegram account "${accountId}" (channels.telegram.accounts)`);
      const answer = await account.handleWebhook({ headers: request.headers, body: request.body });
      return { status: answer.status, headers: { 'content-type': 'application/json' }, body: answer.body };
    },
  };
}
