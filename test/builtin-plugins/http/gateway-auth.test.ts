import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HttpServerToken, TokenIssuerToken } from '@nexus/plugin-sdk';
import { createTestKernel } from '../../../src/kernel/testing/index.js';
import { call, httpPluginDir, metricsPluginDir, onCleanup } from './http-test-kit.js';

const gatewayPluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/gateway');

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
