import { HttpError, type HttpRequest, type HttpResponse, type HttpRoute } from '@nexus/plugin-sdk';
import { finishSignIn } from './finish-sign-in.js';
import { isProviderId, PROVIDER_IDS } from './oauth-settings.js';
import type { SignInContext } from './sign-in-context.js';
import { startSignIn } from './start-sign-in.js';

export const ROUTE_PREFIX = '/auth/oauth';

/**
 * Everything under `/auth/oauth`: the provider list, `/<provider>` or `/<provider>/start`, and
 * `/<provider>/callback`. Public, because the browser arrives by redirect; the state cookie and
 * PKCE are what tie a callback to the browser that started it.
 */
export function signInRoute(context: SignInContext): HttpRoute {
  return {
    handle: (request) => route(context, request),
  };
}

async function route(context: SignInContext, request: HttpRequest): Promise<HttpResponse> {
  const parts = request.subpath.split('/').slice(1);
  if (parts.at(-1) === '') parts.pop();
  if (request.method !== 'GET') throw new HttpError(405, 'method_not_allowed', `${request.path} answers GET only`, { allow: 'GET' });
  if (parts.length === 0) return listProviders(context);

  const [id = '', action = 'start', ...rest] = parts;
  if (!isProviderId(id)) {
    throw new HttpError(404, 'unknown_provider', `there is no sign-in provider "${printableSegment(id)}"; Nexus signs in with ${PROVIDER_IDS.join(' and ')}`);
  }
  if (rest.length === 0 && action === 'start') return startSignIn(context, id, request);
  if (rest.length === 0 && action === 'callback') return finishSignIn(context, id, request);
  throw new HttpError(404, 'not_found', `no route serves ${request.path}; use ${ROUTE_PREFIX}/${id}/start or ${ROUTE_PREFIX}/${id}/callback`);
}

/** What a sign-in page needs: which providers can be used, and where each flow starts. */
function listProviders(context: SignInContext): HttpResponse {
  const providers = PROVIDER_IDS.map((id) => {
    const slot = context.providers.get(id);
    const available = slot?.status === 'ready' && context.seal !== undefined;
    return { id, available, ...(available ? { start: `${ROUTE_PREFIX}/${id}/start` } : {}) };
  });
  return { status: 200, headers: { 'cache-control': 'no-store' }, json: { providers } };
}

function printableSegment(segment: string): string {
  const text = segment.length > 40 ? `${segment.slice(0, 40)}…` : segment;
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, '?');
}
