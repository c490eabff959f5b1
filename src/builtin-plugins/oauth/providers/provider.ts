import type { ProviderId } from '../oauth-settings.js';

/** Who signed in, as the provider vouches for it. `email` is set only when the provider verified it. */
export interface VerifiedIdentity {
  readonly providerId: string;
  readonly email?: string;
  readonly name?: string;
}

export interface AuthorizationRequest {
  readonly state: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
}

export interface CodeExchange {
  readonly code: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  /** Aborted when the request ends or the provider takes longer than `provider_timeout_ms`. */
  readonly signal: AbortSignal;
}

/**
 * One sign-in provider. Failures talking to it throw `HttpError`s (502) that name the provider
 * and what it said, so the route only has to pass them on.
 */
export interface OAuthProvider {
  readonly id: ProviderId;
  /** `Google`, `GitHub`: for messages. */
  readonly label: string;
  /** The provider's consent page URL, with state, PKCE (S256) challenge, scopes and redirect URI. */
  authorizationUrl(request: AuthorizationRequest): URL;
  /** Trades the code (and PKCE verifier) for an access token at the token endpoint. */
  exchange(request: CodeExchange): Promise<string>;
  /** Reads who the access token belongs to. */
  identity(accessToken: string, signal: AbortSignal): Promise<VerifiedIdentity>;
}
