import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN_STATUS_PATH, GatewayServerToken, HttpServerToken, TokenIssuerToken, type AdminStatus } from '@nexus/plugin-sdk';
import { createTestKernel } from '../../../src/kernel/testing/index.js';
import { RECENT_ERRORS } from '../../../src/builtin-plugins/gateway/admin/index.js';
import { call, httpPluginDir, onCleanup } from '../http/http-test-kit.js';
import { RELAY_LAST_INBOUND } from '../channels/fixtures/relay-channel/index.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');

/** The HTTP server and the real gateway, started as `nexus serve` starts them, with the relay channel and a plugin the kernel quarantines. */
async function serving() {
  const kernel = createTestKernel({
    plugin: httpPluginDir,
    with: [join(builtins, 'gateway'), join(builtins, 'storage'), join(builtins, 'storage-memory'), join(import.meta.dirname, '../channels/fixtures/relay-channel'), join(import.meta.dirname, 'fixtures/needs-missing')],
    settings: {
      server: { host: '127.0.0.1', http_port: 0, grpc_port: 0 },
      auth: { jwt_secret: 'x'.repeat(40) },
      database: { url: 'memory:' },
      channels: { relay: { accounts: { main: { bot_token: 'good-token', api_base_url: 'http://127.0.0.1:9' } } } },
    },
  });
  onCleanup(() => kernel.stop());
  await kernel.activate('onStartup');
  // Resolving the server activates the gateway, so it hears kernel.ready and opens.
  const gateway = await kernel.services.get(GatewayServerToken);
  await kernel.hooks.emit('kernel.ready', { activePlugins: ['http', 'gateway'], durationMs: 1 });
  await gateway.opened();
  const url = `${(await kernel.services.get(HttpServerToken)).address()!.url}${ADMIN_STATUS_PATH}`;
  const tokens = await kernel.services.get(TokenIssuerToken);
  const bearer = async (role: 'admin' | 'user') => ({ authorization: `Bearer ${(await tokens.issue(role === 'admin' ? 'ops' : 'bob', { role })).token}` });
  return { kernel, url, bearer };
}

describe('GET /admin/status', () => {
  it('refuses a caller without a credential (401) and one who is not an admin (403), through authorize', async () => {
    const { url, bearer } = await serving();
    expect((await call(url)).status).toBe(401);
    const user = await call(url, { headers: await bearer('user') });
    expect(user).toMatchObject({ status: 403, body: { error: { code: 'permission_denied', message: "only admins see the gateway's status (plugins, listeners, channels, recent errors)" } } });
    const post = await call(url, { method: 'POST', headers: await bearer('admin') });
    expect(post.status).toBe(405);
  });

  it('answers an admin with version, uptime, live plugin states with reasons, listeners, channel statuses, turns in flight and recent errors', async () => {
    const { kernel, url, bearer } = await serving();
    await kernel.hooks.emit('message.failed', { channel: 'relay', accountId: 'main', code: 'delivery_failed', message: 'the platform answered 500' });
    await kernel.hooks.emit('provider.failed', { provider: 'anthropic', model: 'claude', reason: 'rate_limit', status: 429, next: 'retry' });
    await kernel.hooks.emit('provider.failed', { provider: 'anthropic', model: 'claude', reason: 'server_error', status: 529, next: 'give_up' });

    const reply = await call(url, { headers: await bearer('admin') });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    const status = reply.body as AdminStatus;
    expect(status).toMatchObject({ pid: process.pid, serving: 'SERVING', turnsInFlight: 0, version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(status.uptimeMs).toBeGreaterThanOrEqual(0);
    expect(status.listeners.map((l) => l.name)).toEqual(['grpc', 'http']);
    expect(status.listeners[1]!.address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const states = Object.fromEntries(status.plugins.map((p) => [p.id, p]));
    expect(states.gateway).toMatchObject({ state: 'active', enabled: true, origin: expect.any(String) });
    expect(states['relay-channel']).toMatchObject({ state: 'active', channels: ['relay'] });
    expect(states['needs-missing']!.state).toBe('quarantined');
    expect(states['needs-missing']!.diagnostics.map((d) => d.message).join(' ')).toContain('no-such-plugin');

    expect(status.channels.relay).toEqual({
      connected: true,
      accounts: { main: { connected: true, state: 'connected', lastInboundAt: RELAY_LAST_INBOUND, received: 5, sent: 4, failed: 1, refused: 2 } },
    });
    // Newest first; a provider failure the chain retried is not an error yet.
    expect(status.lastErrors.map((e) => [e.source, e.message])).toEqual([
      ['provider', 'anthropic claude: server_error (HTTP 529), gave up'],
      ['delivery', 'relay/main: delivery_failed: the platform answered 500'],
    ]);
  });

  it('keeps only the most recent errors', async () => {
    const { kernel, url, bearer } = await serving();
    for (let i = 0; i < RECENT_ERRORS + 5; i++) await kernel.hooks.emit('message.failed', { channel: 'relay', accountId: 'main', code: 'delivery_failed', message: `failure ${i}` });
    const status = (await call(url, { headers: await bearer('admin') })).body as AdminStatus;
    expect(status.lastErrors).toHaveLength(RECENT_ERRORS);
    expect(status.lastErrors[0]!.message).toBe(`relay/main: delivery_failed: failure ${RECENT_ERRORS + 4}`);
  });
});
