import { ServerInterceptingCall, ServerListenerBuilder, type Metadata, type ServerInterceptor } from '@grpc/grpc-js';
import { AuthError, isStoreUnavailable, type CredentialVerifier, type Logger, type PresentedCredentials, type Principal } from '@nexus/plugin-sdk';
import { toStatus, unavailable } from './status-error.js';

/** The standard health service answers without credentials, so load balancers and probes can use it. */
const PUBLIC_SERVICE_PREFIX = '/grpc.health.v1.Health/';

export interface CallAuthOptions {
  readonly verifier: CredentialVerifier;
  /**
   * Whether a caller may go without credentials when none are configured. False when the server
   * listens beyond loopback without `auth.allow_unauthenticated`: revoking the last key while it
   * runs must not open it to the network.
   */
  readonly anonymousAllowed: boolean;
  /** Where the server listens, for the refusal message. */
  readonly listenAddress: () => string;
  readonly logger: Logger;
}

/**
 * Authenticates every call before its handler runs (one server interceptor for unary and
 * streaming calls alike) and remembers who called, keyed by the call's metadata object, which
 * grpc-js hands on to the handler unchanged.
 */
export class CallAuth {
  private readonly principals = new WeakMap<Metadata, Principal>();

  constructor(private readonly options: CallAuthOptions) {}

  readonly interceptor: ServerInterceptor = (method, call) => {
    if (method.path.startsWith(PUBLIC_SERVICE_PREFIX)) return new ServerInterceptingCall(call);
    const listener = new ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        this.authenticate(metadata).then(
          (principal) => {
            this.principals.set(metadata, principal);
            next(metadata);
          },
          (error: unknown) => call.sendStatus(toStatus(error, this.options.logger, method.path)),
        );
      })
      .build();
    return new ServerInterceptingCall(call, { start: (next) => next(listener) });
  };

  /** Who made the call. Handlers ask this; a call that skipped authentication fails closed. */
  principal(metadata: Metadata): Principal {
    const principal = this.principals.get(metadata);
    if (!principal) throw new AuthError('unauthenticated', 'the call was not authenticated');
    return principal;
  }

  private async authenticate(metadata: Metadata): Promise<Principal> {
    let principal: Principal;
    try {
      principal = await this.options.verifier.verify(presentedCredentials(metadata));
    } catch (error) {
      if (error instanceof AuthError || (error as Error).name === 'AuthError') throw error;
      // The key store failed: we cannot tell who is calling, so nobody gets in. A store's own
      // "unavailable" is plain words; anything else (a driver's text) stays in the log.
      if (isStoreUnavailable(error)) throw unavailable(`cannot check credentials right now: ${(error as Error).message}`);
      this.options.logger.error('checking credentials failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      throw unavailable('cannot check credentials right now; the gateway log has the details');
    }
    if (principal.via === 'anonymous' && !this.options.anonymousAllowed) {
      throw new AuthError(
        'unauthenticated',
        `no credentials are configured and this server listens on ${this.options.listenAddress()}, beyond loopback: set auth.jwt_secret or create an API key (nexus auth api-key create)`,
      );
    }
    return principal;
  }
}

function presentedCredentials(metadata: Metadata): PresentedCredentials {
  return { authorization: single(metadata, 'authorization'), apiKey: single(metadata, 'x-api-key') };
}

/** One text value, or undefined; repeated or binary values are ambiguous and refused. */
function single(metadata: Metadata, key: string): string | undefined {
  const values = metadata.get(key);
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new AuthError('unauthenticated', `send one ${key} metadata value, not ${values.length}`);
  const value = values[0];
  if (typeof value !== 'string') throw new AuthError('unauthenticated', `the ${key} metadata must be text`);
  return value;
}
