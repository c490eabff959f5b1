import { ArcticFetchError, OAuth2Client, OAuth2RequestError, UnexpectedErrorResponseBodyError, UnexpectedResponseError, type OAuth2Tokens } from 'arctic';
import { HttpError } from '@nexus/plugin-sdk';
import type { ProviderCredentials, ProviderId } from '../oauth-settings.js';
import type { CodeExchange } from './provider.js';
import { printable } from './printable.js';
import { untilAborted } from './until-aborted.js';

/**
 * Exchanges an authorization code at `tokenEndpoint` with arctic's generic client (client secret
 * by HTTP Basic, PKCE verifier in the body), and returns the access token. Every failure becomes
 * a 502 naming the provider and the reason; nothing about the user is known yet, so nothing is
 * created.
 */
export async function exchangeCode(
  provider: { readonly id: ProviderId; readonly label: string },
  credentials: ProviderCredentials,
  tokenEndpoint: string,
  exchange: CodeExchange,
): Promise<string> {
  const client = new OAuth2Client(credentials.clientId, credentials.clientSecret, exchange.redirectUri);
  let tokens: OAuth2Tokens;
  try {
    // arctic v3 takes no AbortSignal: on timeout the request is abandoned, not cancelled.
    tokens = await untilAborted(client.validateAuthorizationCode(tokenEndpoint, exchange.code, exchange.codeVerifier), exchange.signal);
  } catch (error) {
    throw exchangeFailure(provider, credentials, error);
  }
  // GitHub reports errors with HTTP 200 and an `error` field, which arctic's generic client takes as tokens.
  const data = tokens.data as Record<string, unknown>;
  if (typeof data.error === 'string') {
    const description = typeof data.error_description === 'string' ? data.error_description : null;
    throw exchangeFailure(provider, credentials, new OAuth2RequestError(data.error, description, null, null));
  }
  const accessToken = data.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw failed(provider, `${provider.label}'s token endpoint answered without an access token`);
  }
  return accessToken;
}

function exchangeFailure(provider: { readonly id: ProviderId; readonly label: string }, credentials: ProviderCredentials, error: unknown): HttpError {
  const who = `${provider.label}'s token endpoint`;
  if (error instanceof OAuth2RequestError) {
    const said = `${error.code}${error.description ? `: ${printable(error.description)}` : ''}`;
    return failed(provider, `${who} refused the authorization code (${printable(said)}); ${hintFor(error.code, provider.id, credentials)}`);
  }
  if (error instanceof UnexpectedResponseError || error instanceof UnexpectedErrorResponseBodyError) {
    return failed(provider, `${who} answered HTTP ${error.status}${error instanceof UnexpectedErrorResponseBodyError ? ' with a body that is not an OAuth error' : ''}; try again later`);
  }
  if (error instanceof ArcticFetchError) {
    const cause = (error.cause as Error | undefined)?.message ?? 'network error';
    return failed(provider, `could not reach ${who} (${printable(cause)}); check the network and plugins.entries.oauth.config.endpoints.${provider.id}.token`);
  }
  if ((error as Error | undefined)?.name === 'TimeoutError') return failed(provider, `${who} did not answer in time; try again later`);
  if ((error as Error | undefined)?.name === 'AbortError') return failed(provider, `the request ended before ${who} answered`);
  return failed(provider, `${who} could not be used: ${printable((error as Error | undefined)?.message ?? String(error))}`);
}

function hintFor(code: string, provider: ProviderId, credentials: ProviderCredentials): string {
  switch (code) {
    case 'invalid_client':
    case 'unauthorized_client':
    case 'incorrect_client_credentials':
      return `check the client id and secret (${credentials.source})`;
    case 'redirect_uri_mismatch':
      return `the callback URL must be registered with the provider exactly; set auth.oauth.${provider}.redirect_url to it`;
    default:
      return 'the code may have expired or been used already; sign in again';
  }
}

function failed(provider: { readonly id: ProviderId }, message: string): HttpError {
  return new HttpError(502, 'token_exchange_failed', `${message} (provider ${provider.id})`);
}
