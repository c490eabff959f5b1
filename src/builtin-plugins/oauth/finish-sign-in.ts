import { timingSafeEqual } from 'node:crypto';
import { HttpError, TokenIssuerToken, UserStoreToken, type HttpRequest, type HttpResponse, type StoreError, type User } from '@nexus/plugin-sdk';
import type { ProviderId } from './oauth-settings.js';
import { printable } from './providers/printable.js';
import type { VerifiedIdentity } from './providers/index.js';
import { checkReturnTo, redirectUriFor } from './redirect-targets.js';
import { readyProvider, requireSeal, requireServices, type SignInContext } from './sign-in-context.js';
import { clearStateCookie, cookieScope, readStateCookie } from './state-cookie.js';
import { UnsealError, type PendingSignIn } from './state-seal.js';

/**
 * `GET /auth/oauth/<provider>/callback?code&state`: checks the state against the cookie, trades
 * the code for an access token, reads who signed in, links or creates the user and answers a
 * gateway JWT. Nothing is created unless every step before the user store succeeded. Every
 * answer clears the state cookie: a state serves one callback, whatever its outcome.
 */
export async function finishSignIn(context: SignInContext, id: ProviderId, request: HttpRequest): Promise<HttpResponse> {
  const { provider, credentials } = readyProvider(context, id);
  const clear = { 'set-cookie': clearStateCookie(id, cookieScope(redirectUriFor(id, credentials.redirectUrl, request.headers))) };
  try {
    const pending = await checkState(context, id, request);
    const code = request.query.get('code');
    if (!code) throw new HttpError(400, 'missing_code', `${provider.label} sent no authorization code; start again at /auth/oauth/${id}/start`);
    requireServices(context);
    // Checked (and percent-encoded) again before the state is spent: a sign-in started by an
    // older version may carry a return_to that no Location header can hold.
    const returnTo = pending.returnTo === undefined ? undefined : checkReturnTo(pending.returnTo);
    if (!context.used.consume(pending.state, pending.expiresAt, context.clock.now())) {
      throw new HttpError(400, 'state_used', `this sign-in was already completed or attempted; start again at /auth/oauth/${id}/start`);
    }

    const accessToken = await provider.exchange({ code, codeVerifier: pending.codeVerifier, redirectUri: pending.redirectUri, signal: providerSignal(context, request) });
    const identity = await provider.identity(accessToken, providerSignal(context, request));
    const user = await linkUser(context, id, identity);
    const { token, expiresAt } = await issueToken(context, user);
    context.logger.info(`signed in with ${id}`, { provider: id, userId: user.id });

    const headers = { ...clear, 'cache-control': 'no-store', pragma: 'no-cache', 'referrer-policy': 'no-referrer' };
    const expires = new Date(expiresAt).toISOString();
    if (returnTo !== undefined) {
      const fragment = new URLSearchParams({ token, expires_at: expires, user_id: user.id });
      return { status: 302, headers: { ...headers, location: `${returnTo}#${fragment.toString()}` }, body: '' };
    }
    return {
      status: 200,
      headers,
      json: { token, expires_at: expires, provider: id, user: { id: user.id, email: user.email ?? null, name: user.name ?? null } },
    };
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    // The user sees these too, but a provider that fails or a setting that is wrong is the operator's to fix.
    if (error.status >= 500) context.logger.warn(`sign-in with ${id} failed: ${error.message}`, { provider: id, code: error.code });
    throw new HttpError(error.status, error.code, error.message, { ...error.headers, ...clear });
  }
}

/** The pending sign-in this callback belongs to; every way it can fail is a 400 before any provider call. */
async function checkState(context: SignInContext, id: ProviderId, request: HttpRequest): Promise<PendingSignIn> {
  const label = readyProvider(context, id).provider.label;
  const restart = `start again at /auth/oauth/${id}/start`;
  const error = request.query.get('error');
  if (error !== null) {
    if (error === 'access_denied') {
      throw new HttpError(403, 'access_denied', `you declined to let Nexus use your ${label} account, so you are not signed in; to try again, ${restart}`);
    }
    const description = request.query.get('error_description');
    throw new HttpError(400, 'provider_error', `${label} did not sign you in: ${printable(error, 64)}${description ? ` (${printable(description)})` : ''}; ${restart}`);
  }
  const state = request.query.get('state');
  if (!state) throw new HttpError(400, 'missing_state', `the callback carries no state parameter; ${restart}`);
  const seal = requireSeal(context);
  const cookie = readStateCookie(request.headers, id);
  if (!cookie) {
    throw new HttpError(400, 'missing_state_cookie', `this browser holds no sign-in in progress with ${label} (the state cookie is missing: cookies blocked, another browser, or it expired); ${restart}`);
  }
  let pending: PendingSignIn;
  try {
    pending = await seal.unseal(id, cookie);
  } catch (failure) {
    if (!(failure instanceof UnsealError)) throw failure;
    throw new HttpError(400, failure.reason === 'expired' ? 'expired_state' : 'invalid_state', `${failure.message}; ${restart}`);
  }
  if (!sameText(state, pending.state)) {
    throw new HttpError(400, 'state_mismatch', `the state parameter does not match the sign-in this browser started, so the callback may be forged; ${restart}`);
  }
  return pending;
}

async function linkUser(context: SignInContext, id: ProviderId, identity: VerifiedIdentity): Promise<User> {
  const users = await context.services.get(UserStoreToken);
  try {
    return await users.findOrCreate({ provider: id, ...identity });
  } catch (error) {
    // Input the store refuses came from the provider; anything else is ours and goes to the log as a 500.
    if (error instanceof Error && (error as Partial<StoreError>).code === 'validation') {
      throw new HttpError(502, 'userinfo_failed', `the user store refused what ${id} said about the user: ${printable((error as Error).message)} (provider ${id})`);
    }
    throw error;
  }
}

async function issueToken(context: SignInContext, user: User): Promise<{ readonly token: string; readonly expiresAt: number }> {
  const issuer = await context.services.get(TokenIssuerToken);
  try {
    return await issuer.issue(user.id);
  } catch (error) {
    // The gateway's TokenIssueError says how to fix its config (e.g. a missing auth.jwt_secret).
    if ((error as Error | undefined)?.name === 'TokenIssueError') throw new HttpError(503, 'signin_unavailable', `sign-in is unavailable: ${(error as Error).message}`);
    throw error;
  }
}

/** Each provider call gets its own deadline, and stops when the request ends. */
function providerSignal(context: SignInContext, request: HttpRequest): AbortSignal {
  return AbortSignal.any([request.signal, AbortSignal.timeout(context.config.provider_timeout_ms)]);
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
