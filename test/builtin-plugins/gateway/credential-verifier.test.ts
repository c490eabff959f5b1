import { describe, expect, it } from 'vitest';
import { CredentialVerifierToken, type AuthError } from '@nexus/plugin-sdk';
import { apiKeyStore, createApiKey, gatewayKernel, issueToken, JWT_SECRET } from './gateway-test-kit.js';

describe('the credential verifier service (nexus.auth.verifier)', () => {
  it('requires credentials only while a JWT secret or a live API key exists', async () => {
    const kernel = gatewayKernel();
    const verifier = await kernel.services.get(CredentialVerifierToken);
    expect(await verifier.required()).toBe(false);
    expect(await verifier.verify({})).toEqual({ userId: 'local', via: 'anonymous' });

    const { id } = await createApiKey(kernel, 'only');
    expect(await verifier.required()).toBe(true);
    await expect(verifier.verify({})).rejects.toThrow(/missing credentials/);

    await (await apiKeyStore(kernel)).revoke(id);
    expect(await verifier.required()).toBe(false);

    const withSecret = await gatewayKernel({ settings: { auth: { jwt_secret: JWT_SECRET } } }).services.get(CredentialVerifierToken);
    expect(await withSecret.required()).toBe(true);
  });

  it('rejects with AuthError(unauthenticated), whatever is wrong with the credential', async () => {
    const kernel = gatewayKernel({ settings: { auth: { jwt_secret: JWT_SECRET } } });
    const verifier = await kernel.services.get(CredentialVerifierToken);
    for (const credentials of [{}, { authorization: 'Bearer' }, { authorization: 'Token abc' }, { authorization: 'Bearer a.b.c' }, { apiKey: '' }, { apiKey: 'nxk_unknown' }]) {
      const error = await verifier.verify(credentials).then(
        () => undefined,
        (e: unknown) => e,
      );
      // By name: the plugin is loaded through its own module graph, so `instanceof` would compare two copies.
      expect((error as Error).name, JSON.stringify(credentials)).toBe('AuthError');
      expect((error as AuthError).code).toBe('unauthenticated');
    }
  });

  it('takes the Bearer prefix in any case, and the token issuer\'s tokens', async () => {
    const kernel = gatewayKernel({ settings: { auth: { jwt_secret: JWT_SECRET } } });
    const verifier = await kernel.services.get(CredentialVerifierToken);
    const token = await issueToken(kernel, 'carol', '5m');
    expect(await verifier.verify({ authorization: `bearer ${token}` })).toEqual({ userId: 'carol', via: 'jwt' });
    expect(await verifier.verify({ authorization: `BEARER  ${token}` })).toEqual({ userId: 'carol', via: 'jwt' });
  });
});
