import { createToken } from './tokens.js';

/**
 * What a caller may do. `admin` reaches every session and agent, including the sessions that came
 * in from channels (they belong to the system); `user` reaches only its own sessions, and only the
 * agents it owns or that an admin shared.
 */
export type Role = 'admin' | 'user';

export const ACCESS_ROLES: readonly Role[] = ['admin', 'user'];

/** Who is calling, once a credential checked out. */
export interface Principal {
  readonly userId: string;
  readonly via: 'jwt' | 'api_key' | 'anonymous';
  /** From the API key's record or the JWT's `role` claim; anonymous callers are `admin`. */
  readonly role: Role;
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
 * or any API key exists, a credential is required; with none configured, callers are anonymous,
 * unless credentials existed on this database before (then anonymous calls stay refused until an
 * operator runs `nexus auth reset-open-access`). A `Bearer` token is checked before `x-api-key`,
 * and an invalid token fails even when a valid key is also present.
 */
export interface CredentialVerifier {
  /** Whether anonymous calls are refused: a credential is configured, or one was and all are gone. */
  required(): Promise<boolean>;
  /** The caller, or throws `AuthError`. */
  verify(credentials: PresentedCredentials): Promise<Principal>;
}

/** Issues the gateway's JWTs (for `nexus auth token` and OAuth sign-in). */
export interface TokenIssuer {
  /** `role` defaults to `user` (OAuth sign-ins get that); only an operator's `nexus auth token --admin` asks for `admin`. */
  issue(userId: string, options?: { readonly expiresIn?: string; readonly role?: Role }): Promise<{ readonly token: string; readonly expiresAt: number }>;
}

export const CredentialVerifierToken = createToken<CredentialVerifier>('nexus.auth.verifier');
export const TokenIssuerToken = createToken<TokenIssuer>('nexus.auth.token-issuer');
