import { describe, expect, it } from 'vitest';
import { CredentialVerifierToken, TokenIssuerToken } from '@nexus/plugin-sdk';
import { GatewayServerToken } from '../../../src/builtin-plugins/gateway/index.js';
import { verifyPluginContract } from '../../../src/kernel/testing/index.js';
import { gatewayDir, gatewayKernel, memoryStorageDir, storageDir } from './gateway-test-kit.js';

describe('the gateway plugin', () => {
  it('binds exactly what its manifest declares', async () => {
    const report = await verifyPluginContract({ plugin: gatewayDir, with: [storageDir, memoryStorageDir], settings: { database: { url: 'memory:' }, server: { grpc_port: 0 } } });
    expect(report.problems).toEqual([]);
    expect(report.resolved).toEqual(['commands:auth', 'commands:chat', 'httpRoutes:/admin/status']);
  });

  it('provides the credential verifier, the token issuer and the server to other plugins', async () => {
    const kernel = gatewayKernel();
    for (const token of [CredentialVerifierToken, TokenIssuerToken, GatewayServerToken]) expect(kernel.services.has(token)).toBe(true);
    const server = await kernel.services.get(GatewayServerToken);
    // Activated for a service, not started by the kernel: it does not listen, and says so.
    expect(server.address()).toBeUndefined();
    expect(server.status()).toBe('NOT_SERVING');
  });
});
