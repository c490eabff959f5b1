import { errors, jwtVerify, SignJWT } from 'jose';
import { AuthError, type Clock } from '@nexus/plugin-sdk';

/** How far clocks may disagree when checking `exp`, `nbf` and `iat`. */
export const CLOCK_SKEW_SECONDS = 30;

/**
 * Signs and checks the gateway's JWTs: HS256 only (the algorithm is pinned, so `alg: none` or an
 * RS256 header swap is refused), with `sub`, `iat` and `exp` required.
 */
export class JwtCodec {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(userId: string, ttlMs: number): Promise<{ readonly token: string; readonly expiresAt: number }> {
    const now = Math.floor(this.clock.now() / 1000);
    const exp = now + Math.max(1, Math.floor(ttlMs / 1000));
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(userId).setIssuedAt(now).setExpirationTime(exp).sign(this.key);
    return { token, expiresAt: exp * 1000 };
  }

  /** The token's user id, or throws `AuthError('unauthenticated')` saying what is wrong with it. */
  async verify(token: string): Promise<string> {
    const now = this.clock.now();
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: new Date(now),
        requiredClaims: ['sub', 'iat', 'exp'],
      }));
    } catch (error) {
      throw new AuthError('unauthenticated', `invalid token: ${describe(error)}`);
    }
    // jose checks `iat` only against a maximum age; a token from the future is as suspect as an expired one.
    if (payload.iat! > Math.floor(now / 1000) + CLOCK_SKEW_SECONDS) {
      throw new AuthError('unauthenticated', 'invalid token: it was issued in the future (check the clocks of the issuer and this server)');
    }
    if (!payload.sub) throw new AuthError('unauthenticated', 'invalid token: its subject (sub) is empty');
    return payload.sub;
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return `it expired at ${new Date(Number(error.payload.exp) * 1000).toISOString()}; ask for a new one (nexus auth token)`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'its algorithm is not accepted; tokens must be signed with HS256';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not match (was it signed with another secret?)';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim check failed: ${error.message}`;
  if (error instanceof errors.JOSEError) return `it is malformed (${error.message})`;
  return (error as Error).message;
}
