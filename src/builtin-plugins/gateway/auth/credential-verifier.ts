import { inject, injectable } from '@nexus/plugin-sdk';
import {
  ApiKeyStoreToken,
  AuthError,
  ClockToken,
  ConfigToken,
  ServicesToken,
  type Clock,
  type ConfigAccess,
  type CredentialVerifier,
  type PresentedCredentials,
  type Principal,
  type ServiceRegistry,
} from '@nexus/plugin-sdk';
import { readAuthSettings } from './auth-settings.js';
import { JwtCodec } from './jwt-codec.js';

/** Who an unauthenticated caller is when no credential is configured (loopback, or explicitly allowed). */
export const ANONYMOUS_USER_ID = 'local';

const BEARER = /^bearer\s+(\S+)\s*$/i;

/**
 * Checks credentials for the gRPC and HTTP surfaces. A JWT secret or any live API key makes a
 * credential mandatory. `authorization: Bearer` is checked first, and a bad token fails the call
 * even when a valid `x-api-key` comes with it: a client that sends a token means that token.
 */
@injectable()
export class GatewayCredentialVerifier implements CredentialVerifier {
  private readonly jwt: JwtCodec | undefined;

  constructor(
    @inject(ConfigToken) config: ConfigAccess,
    @inject(ServicesToken) private readonly services: ServiceRegistry,
    @inject(ClockToken) clock: Clock,
  ) {
    const secret = readAuthSettings(config).jwt_secret;
    this.jwt = secret ? new JwtCodec(secret, clock) : undefined;
  }

  async required(): Promise<boolean> {
    if (this.jwt) return true;
    // Keys can be created by `nexus auth api-key create` while the gateway runs, so ask every time.
    const keys = await this.apiKeys();
    return keys !== undefined && (await keys.list()).some((key) => key.revokedAt === undefined);
  }

  async verify(credentials: PresentedCredentials): Promise<Principal> {
    if (credentials.authorization !== undefined) return this.verifyBearer(credentials.authorization);
    if (credentials.apiKey !== undefined) return this.verifyApiKey(credentials.apiKey);
    if (await this.required()) {
      throw new AuthError('unauthenticated', 'missing credentials: send `authorization: Bearer <jwt>` or `x-api-key: <key>` (create one with `nexus auth api-key create`)');
    }
    return { userId: ANONYMOUS_USER_ID, via: 'anonymous' };
  }

  private async verifyBearer(header: string): Promise<Principal> {
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new AuthError('unauthenticated', 'the authorization metadata must be `Bearer <token>`');
    if (!this.jwt) throw new AuthError('unauthenticated', 'bearer tokens are not accepted: auth.jwt_secret is not set on this server; use an API key (x-api-key)');
    return { userId: await this.jwt.verify(token), via: 'jwt' };
  }

  private async verifyApiKey(key: string): Promise<Principal> {
    const keys = await this.apiKeys();
    const record = key.length > 0 && keys ? await keys.verify(key) : undefined;
    if (!record) throw new AuthError('unauthenticated', 'invalid API key (unknown or revoked)');
    return { userId: record.userId, via: 'api_key', keyId: record.id };
  }

  /** The API key store; undefined when no storage plugin is enabled (then no key can exist). */
  private async apiKeys() {
    if (!this.services.has(ApiKeyStoreToken)) return undefined;
    return this.services.get(ApiKeyStoreToken);
  }
}
