import { generateCodeVerifier, generateState } from 'arctic';
import type { HttpRequest, HttpResponse } from '@nexus/plugin-sdk';
import type { ProviderId } from './oauth-settings.js';
import { checkReturnTo, redirectUriFor } from './redirect-targets.js';
import { readyProvider, requireSeal, requireServices, type SignInContext } from './sign-in-context.js';
import { cookieScope, setStateCookie } from './state-cookie.js';

/**
 * `GET /auth/oauth/<provider>/start[?return_to=/path]`: a fresh random state and PKCE verifier,
 * sealed into a cookie only this browser carries, and a 302 to the provider's consent page with
 * the state and the verifier's S256 challenge.
 */
export async function startSignIn(context: SignInContext, id: ProviderId, request: HttpRequest): Promise<HttpResponse> {
  const { provider, credentials } = readyProvider(context, id);
  const seal = requireSeal(context);
  requireServices(context);
  const returnTo = checkReturnTo(request.query.get('return_to'));
  const redirectUri = redirectUriFor(id, credentials.redirectUrl, request.headers);

  const state = generateState();
  const codeVerifier = generateCodeVerifier();
  const ttl = context.config.state_ttl_seconds;
  const sealed = await seal.seal(id, { state, codeVerifier, redirectUri, ...(returnTo !== undefined ? { returnTo } : {}) }, ttl);
  const location = provider.authorizationUrl({ state, codeVerifier, redirectUri });
  return {
    status: 302,
    headers: {
      location: location.href,
      'set-cookie': setStateCookie(id, sealed.value, cookieScope(redirectUri), ttl),
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
    body: '',
  };
}
