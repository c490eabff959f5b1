import { inject, injectable } from '@nexus/plugin-sdk';
import {
  ApiKeyStoreToken,
  AuthError,
  ClockToken,
  ConfigToken,
  LoggerToken,
  SafeguardStoreToken,
  ServicesToken,
  type Clock,
  type ConfigAccess,
  type CredentialVerifier,
  type Logger,
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
 *
 * Whenever it sees credentials configured, it records so in the database (`SafeguardStore`). Once
 * recorded, losing every credential (keys revoked, the key table wiped by `nexus migrate down`,
 * auth.jwt_secret removed) keeps anonymous calls refused, until an operator runs
 * `nexus auth reset-open-access`.
 */
@injectable()
export class GatewayCredentialVerifier implements CredentialVerifier {
  private readonly jwt: JwtCodec | undefined;
  /** Recording the marker once per process is enough; it is only ever cleared by an operator. */
  private marked = false;

  constructor(
    @inject(ConfigToken) config: ConfigAccess,
    @inject(ServicesToken) private readonly services: ServiceRegistry,
    @inject(ClockToken) private readonly clock: Clock,
    @inject(LoggerToken) private readonly logger: Logger,
  ) {
    const secret = readAuthSettings(config).jwt_secret;
    this.jwt = secret ? new JwtCodec(secret, clock) : undefined;
  }

  async required(): Promise<boolean> {
    return (await this.configured()) || (await this.credentialsLostSince()) !== undefined;
  }

  async verify(credentials: PresentedCredentials): Promise<Principal> {
    if (credentials.authorization !== undefined) return this.verifyBearer(credentials.authorization);
    if (credentials.apiKey !== undefined) return this.verifyApiKey(credentials.apiKey);
    if (await this.configured()) {
      throw new AuthError('unauthenticated', 'missing credentials: send `authorization: Bearer <jwt>` or `x-api-key: <key>` (create one with `nexus auth api-key create`)');
    }
    const since = await this.credentialsLostSince();
    if (since !== undefined) {
      throw new AuthError(
        'unauthenticated',
        `missing credentials: none is configured any more, but credentials were (recorded ${new Date(since).toISOString()}), so callers without one stay refused rather than let in; create an API key (nexus auth api-key create), or run \`nexus auth reset-open-access\` to let anonymous loopback callers in again`,
      );
    }
    return { userId: ANONYMOUS_USER_ID, via: 'anonymous', role: 'admin' };
  }

  private async verifyBearer(header: string): Promise<Principal> {
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new AuthError('unauthenticated', 'the authorization metadata must be `Bearer <token>`');
    if (!this.jwt) throw new AuthError('unauthenticated', 'bearer tokens are not accepted: auth.jwt_secret is not set on this server; use an API key (x-api-key)');
    const { userId, role } = await this.jwt.verify(token);
    await this.markConfigured();
    return { userId, via: 'jwt', role };
  }

  private async verifyApiKey(key: string): Promise<Principal> {
    const keys = await this.apiKeys();
    const record = key.length > 0 && keys ? await keys.verify(key) : undefined;
    if (!record) throw new AuthError('unauthenticated', 'invalid API key (unknown or revoked)');
    await this.markConfigured();
    return { userId: record.userId, via: 'api_key', role: record.role, keyId: record.id };
  }

  /** Whether a JWT secret or a live API key exists now; recorded when one does. */
  private async configured(): Promise<boolean> {
    let configured = this.jwt !== undefined;
    if (!configured) {
      // Keys can be created by `nexus auth api-key create` while the gateway runs, so ask every time.
      const keys = await this.apiKeys();
      configured = keys !== undefined && (await keys.list()).some((key) => key.revokedAt === undefined);
    }
    if (configured) await this.markConfigured();
    return configured;
  }

  /** When credentials were recorded as configured, if they were; read every time, so `reset-open-access` applies at once. */
  private async credentialsLostSince(): Promise<number | undefined> {
    if (!this.services.has(SafeguardStoreToken)) return undefined;
    return (await this.services.get(SafeguardStoreToken)).credentialsConfiguredSince();
  }

  /** A failure to record is logged and tried again on the next call; it never fails the call itself. */
  private async markConfigured(): Promise<void> {
    if (this.marked || !this.services.has(SafeguardStoreToken)) return;
    try {
      await (await this.services.get(SafeguardStoreToken)).markCredentialsConfigured(this.clock.now());
      this.marked = true;
    } catch (error) {
      this.logger.warn(`could not record that credentials are configured (it keeps anonymous access closed should they all be lost): ${(error as Error).message}`);
    }
  }

  /** The API key store; undefined when no storage plugin is enabled (then no key can exist). */
  private async apiKeys() {
    if (!this.services.has(ApiKeyStoreToken)) return undefined;
    return this.services.get(ApiKeyStoreToken);
  }
}
