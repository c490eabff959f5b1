import type { IncomingHttpHeaders } from 'node:http';
import { AuthError, CredentialVerifierToken, HttpError, type Principal, type ServiceRegistry } from '@nexus/plugin-sdk';
import { isLoopbackAddress } from './loopback.js';

export interface CallerInfo {
  readonly headers: IncomingHttpHeaders;
  readonly remoteAddress: string | undefined;
  /** `auth.allow_unauthenticated`: anonymous callers may come from beyond loopback. */
  readonly allowUnauthenticated: boolean;
}

/**
 * Checks the caller of a `token` route with the gateway's `CredentialVerifier`. Fails closed:
 * with no verifier available the route is refused (503), never served unchecked. With no
 * credentials configured the verifier lets everyone in as anonymous; like the gateway, the
 * server then accepts anonymous callers from loopback only, unless the operator opted out.
 */
export async function authenticate(services: ServiceRegistry, caller: CallerInfo): Promise<Principal> {
  const principal = await verify(services, caller.headers);
  if (principal.via === 'anonymous' && !caller.allowUnauthenticated && !isLoopbackAddress(caller.remoteAddress)) {
    throw new HttpError(
      403,
      'permission_denied',
      'no credentials are configured, so this route answers callers on this machine only; set auth.jwt_secret or create an API key (nexus auth api-key create), or set auth.allow_unauthenticated: true if the network is trusted',
    );
  }
  return principal;
}

async function verify(services: ServiceRegistry, headers: IncomingHttpHeaders): Promise<Principal> {
  if (!services.has(CredentialVerifierToken)) {
    throw new HttpError(503, 'auth_unavailable', 'this route needs a credential check, but no enabled plugin provides one (service nexus.auth.verifier); enable the gateway plugin');
  }
  const verifier = await services.get(CredentialVerifierToken).catch((error: unknown) => {
    throw new HttpError(503, 'auth_unavailable', `the credential check is unavailable: ${(error as Error).message}`);
  });
  try {
    return await verifier.verify({ authorization: single(headers.authorization), apiKey: single(headers['x-api-key']) });
  } catch (error) {
    // By name, not instanceof: the verifier may come from another copy of the contracts module.
    if (error instanceof AuthError || (error as Error | undefined)?.name === 'AuthError') {
      return (error as AuthError).code === 'permission_denied'
        ? Promise.reject(new HttpError(403, 'permission_denied', (error as AuthError).message))
        : Promise.reject(new HttpError(401, 'unauthenticated', (error as AuthError).message, { 'www-authenticate': 'Bearer' }));
    }
    throw error;
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
