import { hkdfSync } from 'node:crypto';
import { EncryptJWT, errors, jwtDecrypt } from 'jose';
import type { Clock } from '@nexus/plugin-sdk';
import type { ProviderId } from './oauth-settings.js';

/** What the callback needs from the start of a sign-in. */
export interface PendingSignIn {
  readonly state: string;
  /** The PKCE verifier whose S256 challenge went to the provider. */
  readonly codeVerifier: string;
  /** The redirect URI sent to the provider; the token request must repeat it exactly. */
  readonly redirectUri: string;
  /** A same-origin path to send the browser to afterwards, with the token in the fragment. */
  readonly returnTo?: string;
  /** When the state stops being accepted, in epoch milliseconds. */
  readonly expiresAt: number;
}

export type UnsealFailure = 'expired' | 'invalid';

export class UnsealError extends Error {
  constructor(
    readonly reason: UnsealFailure,
    message: string,
  ) {
    super(message);
    this.name = 'UnsealError';
  }
}

/**
 * Seals a pending sign-in into the value of the state cookie: an encrypted, authenticated JWT
 * (`dir` + A256GCM), so the browser carries the state, the PKCE verifier and the redirect URI
 * and no replica needs to remember them. The key is derived from `auth.jwt_secret` for this one
 * purpose, so a state cookie never passes as a gateway token or the other way round, and replicas
 * sharing the secret accept each other's cookies. The audience names the provider, so a cookie
 * from one provider's flow is refused by another's callback.
 */
export class StateSeal {
  private readonly key: Uint8Array;

  constructor(
    jwtSecret: string,
    private readonly clock: Clock,
  ) {
    this.key = new Uint8Array(hkdfSync('sha256', jwtSecret, 'nexus.oauth', 'oauth sign-in state cookie v1', 32));
  }

  async seal(provider: ProviderId, pending: Omit<PendingSignIn, 'expiresAt'>, ttlSeconds: number): Promise<{ readonly value: string; readonly expiresAt: number }> {
    const now = Math.floor(this.clock.now() / 1000);
    const exp = now + ttlSeconds;
    const value = await new EncryptJWT({
      st: pending.state,
      cv: pending.codeVerifier,
      ru: pending.redirectUri,
      ...(pending.returnTo !== undefined ? { rt: pending.returnTo } : {}),
    })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setAudience(audience(provider))
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .encrypt(this.key);
    return { value, expiresAt: exp * 1000 };
  }

  async unseal(provider: ProviderId, value: string): Promise<PendingSignIn> {
    let payload;
    try {
      ({ payload } = await jwtDecrypt(value, this.key, {
        audience: audience(provider),
        currentDate: new Date(this.clock.now()),
        requiredClaims: ['exp', 'iat'],
        keyManagementAlgorithms: ['dir'],
        contentEncryptionAlgorithms: ['A256GCM'],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new UnsealError('expired', 'the sign-in took too long and its state expired');
      throw new UnsealError('invalid', 'the state cookie is not one this server issued for this provider');
    }
    const { st, cv, ru, rt, exp } = payload as Record<string, unknown>;
    if (typeof st !== 'string' || typeof cv !== 'string' || typeof ru !== 'string' || (rt !== undefined && typeof rt !== 'string') || typeof exp !== 'number') {
      throw new UnsealError('invalid', 'the state cookie is incomplete');
    }
    return { state: st, codeVerifier: cv, redirectUri: ru, ...(typeof rt === 'string' ? { returnTo: rt } : {}), expiresAt: exp * 1000 };
  }
}

function audience(provider: ProviderId): string {
  return `nexus-oauth-state:${provider}`;
}
