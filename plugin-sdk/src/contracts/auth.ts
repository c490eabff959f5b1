import { createToken } from './tokens.js';

/** Who is calling, once a credential checked out. */
export interface Principal {
  readonly userId: string;
  readonly via: 'jwt' | 'api_key' | 'anonymous';
  /** The API key's record id, when `via` is `api_key`. */
  readonly keyId?: string;
}

/** The credentials a request carried, transport-neutral (gRPC metadata or HTTP headers). */
export interface PresentedCredentials {
  /** The full `authorization` header value, e.g. `Bearer eyJ…`. */
  readonly authorization?: string;
  /** The `x-api-key` header value. */
  readonly apiKey?: string;
}

/** A rejected credential: `unauthenticated` (missing/invalid) or `permission_denied`. */
export class AuthError extends Error {
  constructor(
    readonly code: 'unauthenticated' | 'permission_denied',
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

/**
 * Checks credentials for every surface (gRPC, HTTP routes with `auth: token`). Once a JWT secret
 * or any API key exists, a credential is required; with none configured, callers are anonymous.
 * A `Bearer` token is checked before `x-api-key`, and an invalid token fails even when a valid
 * key is also present.
 */
export interface CredentialVerifier {
  /** Whether any credential is configured, so anonymous calls are refused. */
  required(): Promise<boolean>;
  /** The caller, or throws `AuthError`. */
  verify(credentials: PresentedCredentials): Promise<Principal>;
}

/** Issues the gateway's JWTs (for `nexus auth token` and OAuth sign-in). */
export interface TokenIssuer {
  issue(userId: string, options?: { readonly expiresIn?: string }): Promise<{ readonly token: string; readonly expiresAt: number }>;
}

export const CredentialVerifierToken = createToken<CredentialVerifier>('nexus.auth.verifier');
export const TokenIssuerToken = createToken<TokenIssuer>('nexus.auth.token-issuer');
