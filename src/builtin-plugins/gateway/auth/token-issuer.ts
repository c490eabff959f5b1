import { parseDuration } from '@nexus/plugin-sdk';
import { inject, injectable } from '@nexus/plugin-sdk';
import { ClockToken, ConfigToken, type Clock, type ConfigAccess, type Role, type TokenIssuer } from '@nexus/plugin-sdk';
import { readAuthSettings, type AuthSettings } from './auth-settings.js';
import { JwtCodec } from './jwt-codec.js';
import { subjectProblem } from './subject.js';

/** Thrown when a token cannot be issued; the message says how to fix it. */
export class TokenIssueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenIssueError';
  }
}

/** Issues HS256 JWTs with `auth.jwt_secret`, valid for `auth.token_expiry` unless told otherwise. */
@injectable()
export class GatewayTokenIssuer implements TokenIssuer {
  private readonly settings: AuthSettings;

  constructor(
    @inject(ConfigToken) config: ConfigAccess,
    @inject(ClockToken) private readonly clock: Clock,
  ) {
    this.settings = readAuthSettings(config);
  }

  async issue(userId: string, options: { readonly expiresIn?: string; readonly role?: Role } = {}): Promise<{ readonly token: string; readonly expiresAt: number }> {
    if (!this.settings.jwt_secret) {
      throw new TokenIssueError('cannot issue tokens: auth.jwt_secret is not set; add `auth: { jwt_secret: <at least 32 random characters> }` to nexus.yaml (for example the output of `openssl rand -base64 48`)');
    }
    // Never mint what the verifier would refuse.
    const problem = subjectProblem(userId);
    if (problem) throw new TokenIssueError(`cannot issue a token for that user id: it ${problem}`);
    const expiresIn = options.expiresIn ?? this.settings.token_expiry;
    const ttlMs = parseDuration(expiresIn);
    if (ttlMs === undefined || ttlMs < 1000) {
      throw new TokenIssueError(`invalid expiry "${expiresIn}": use a number and a unit (s, m, h or d) of at least one second, such as 30m, 24h or 7d`);
    }
    return new JwtCodec(this.settings.jwt_secret, this.clock).sign(userId, ttlMs, options.role ?? 'user');
  }
}
