import { status } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { GatewayServerToken } from '../../../src/builtin-plugins/gateway/index.js';
import { ServingStatus } from '../../../src/builtin-plugins/gateway/generated/nexus/v1/health.js';
import { configFromData } from '../../../src/kernel/index.js';
import { testKernel } from '../../helpers/fixtures.js';
import { call, connect, failure, gatewayDir, JWT_SECRET, memoryStorageDir, storageDir } from './gateway-test-kit.js';

/** A whole kernel as `nexus serve` runs it, with the gateway and in-memory storage. */
function serveKernel(settings: Record<string, unknown>) {
  const data = (extra: Record<string, unknown>) => ({ database: { url: 'memory:' }, server: { grpc_port: 0 }, ...extra });
  const { kernel, logger } = testKernel({ loadPaths: [gatewayDir, storageDir, memoryStorageDir], data: data(settings) });
  const reconfigure = (next: Record<string, unknown>) =>
    kernel.reconfigure(configFromData({ ...data(next), plugins: { load: { paths: [gatewayDir, storageDir, memoryStorageDir] } } }));
  return { kernel, logger, reconfigure };
}

const gatewayAddress = async (kernel: ReturnType<typeof serveKernel>['kernel']) => {
  const server = await kernel.services.get(GatewayServerToken);
  return { server, address: server.address() };
};

describe('gateway lifecycle under the kernel', () => {
  it('listens and reports SERVING once kernel.start() returns, and closes its port on stop', async () => {
    const { kernel } = serveKernel({});
    await kernel.start();
    const { server, address } = await gatewayAddress(kernel);
    expect(address).toBeDefined();
    expect(server.status()).toBe('SERVING');
    const clients = connect(`127.0.0.1:${address!.port}`);
    expect((await call(clients.health, 'check', { service: '' })).status).toBe(ServingStatus.SERVING_STATUS_SERVING);

    await kernel.stop('test');
    expect(server.address()).toBeUndefined();
    expect((await failure(call(clients.health, 'check', { service: '' }))).code).toBe(status.UNAVAILABLE);
  });

  it('comes back SERVING, under the new settings, when a reload restarts it', async () => {
    const { kernel, reconfigure } = serveKernel({});
    await kernel.start();
    const report = await reconfigure({ auth: { jwt_secret: JWT_SECRET } });
    expect(report.applied).toBe(true);
    expect(report.restarted).toContain('gateway');

    await expect.poll(async () => (await gatewayAddress(kernel)).server.status()).toBe('SERVING');
    const { address } = await gatewayAddress(kernel);
    const clients = connect(`127.0.0.1:${address!.port}`);
    expect((await failure(call(clients.sessions, 'listSessions', { agentId: '', channel: '', pageSize: 0, pageToken: '' }))).code).toBe(status.UNAUTHENTICATED);
  });
});
