import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayServerToken, HttpServerToken, TokenIssuerToken } from '@nexus/plugin-sdk';
import { createTestKernel } from '../../../src/kernel/testing/index.js';
import { call, httpPluginDir, metricsPluginDir, onCleanup } from './http-test-kit.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
const gatewayPluginDir = join(builtins, 'gateway');
const storagePluginDirs = [join(builtins, 'storage'), join(builtins, 'storage-memory')];

/** The HTTP server with the real gateway beside it, both started as `nexus serve` starts them. */
async function withGateway(grpcPort: number) {
  const kernel = createTestKernel({
    plugin: httpPluginDir,
    with: [gatewayPluginDir, ...storagePluginDirs],
    settings: { server: { host: '127.0.0.1', http_port: 0, grpc_port: grpcPort }, database: { url: 'memory' } },
  });
  onCleanup(() => kernel.stop());
  await kernel.activate('onStartup');
  const gateway = await kernel.services.get(GatewayServerToken);
  await kernel.hooks.emit('kernel.ready', { activePlugins: ['http', 'gateway'], durationMs: 1 });
  return { kernel, gateway, url: (await kernel.services.get(HttpServerToken)).address()!.url };
}

describe('http plugin with the real gateway credential check', () => {
  it('requires a gateway-issued JWT on token routes once auth.jwt_secret is set, and keeps health public', async () => {
    const kernel = createTestKernel({
      plugin: httpPluginDir,
      with: [gatewayPluginDir, metricsPluginDir],
      settings: { server: { host: '127.0.0.1', http_port: 0, grpc_port: 0 }, auth: { jwt_secret: 'x'.repeat(40) } },
    });
    onCleanup(() => kernel.stop());
    await kernel.activate('onStartup');
    const url = (await kernel.services.get(HttpServerToken)).address()!.url;

    const missing = await call(`${url}/metrics`);
    expect(missing).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated', message: expect.stringContaining('missing credentials') } } });
    expect((await call(`${url}/metrics`, { headers: { authorization: 'Bearer not-a-jwt' } })).status).toBe(401);

    const { token } = await (await kernel.services.get(TokenIssuerToken)).issue('ops');
    const scraped = await call(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain('# TYPE nexus_turns_total counter');

    expect((await call(`${url}/healthz`)).status).toBe(200);
  });
});

describe('readiness with the real gateway', () => {
  it('answers /readyz 200 only while both listeners serve, naming each', async () => {
    const { url, gateway } = await withGateway(0);
    expect(gateway.status()).toBe('SERVING');
    expect(await call(`${url}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready', listeners: { http: 'serving', grpc: 'serving' } } });
  });

  it('answers /readyz 503 when the gRPC API never opened, though HTTP serves and startup is over', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    onCleanup(() => new Promise((resolve) => blocker.close(resolve)));
    const { url, gateway } = await withGateway((blocker.address() as AddressInfo).port);
    expect(gateway.status()).toBe('NOT_SERVING');
    expect(await call(`${url}/readyz`)).toMatchObject({
      status: 503,
      body: { status: 'not_serving', listeners: { http: 'serving', grpc: 'not_serving' }, error: { code: 'not_ready', message: 'the gRPC API is not serving (it did not open, or it is restarting)' } },
    });
    expect((await call(`${url}/healthz`)).status).toBe(200);
  });
});
