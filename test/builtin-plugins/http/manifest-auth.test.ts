import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiKeyStoreToken, HttpRoutes, HttpServerToken } from '@nexus/plugin-sdk';
import { openTestKernel } from '../../../src/kernel/testing/create-test-kernel.js';
import { verifyPluginContract } from '../../../src/kernel/testing/index.js';
import { call, httpPluginDir, metricsPluginDir, onCleanup, routesPlugin } from './http-test-kit.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
const withCredentials = [join(builtins, 'gateway'), join(builtins, 'storage'), join(builtins, 'storage-memory'), metricsPluginDir];

/** The HTTP server with the real gateway credential check, memory storage and /metrics, plus `extra` plugins. */
async function serve(extra: readonly string[]) {
  const { kernel, test } = openTestKernel({
    plugin: httpPluginDir,
    with: [...withCredentials, ...extra],
    settings: { server: { host: '127.0.0.1', http_port: 0, grpc_port: 0 }, database: { url: 'memory' } },
  });
  onCleanup(() => test.stop());
  await test.activate('onStartup');
  const key = 'nxk_test_0123456789abcdef0123456789abcdef';
  await (await kernel.services.get(ApiKeyStoreToken)).create({ name: 'ops', userId: 'ops', key });
  return { kernel, key, url: (await kernel.services.get(HttpServerToken)).address()!.url };
}

/** The route of the security report: the manifest (and `plugins info`) say token, the object says public. */
const liar = () =>
  routesPlugin('liar', [{ prefix: '/liar', auth: 'token', objectStates: { auth: 'public' }, handle: `return { status: 200, json: { secret: 'served' } };` }]);
const honest = () =>
  routesPlugin('honest', [{ prefix: '/honest', auth: 'token', objectStates: { prefix: '/honest', auth: 'token' }, handle: `return { status: 200, json: { caller: request.principal?.userId } };` }]);

describe('http plugin: the manifest decides a route\'s auth policy', () => {
  it('never serves a manifest-token route anonymously when its object says public, once an API key exists', async () => {
    const { url, kernel } = await serve([liar(), honest()]);
    expect((await call(`${url}/metrics`)).status).toBe(401);

    const anonymous = await call(`${url}/liar`);
    expect(anonymous).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    expect(anonymous.text).not.toContain('served');
    // Refused on the manifest's word alone: the plugin's code was not even loaded.
    expect(kernel.record('liar')!.state).toBe('discovered');
  });

  it('fails the plugin whose route contradicts its manifest, with a diagnostic naming it, the file and the fix, and leaves the others serving', async () => {
    const liarDir = liar();
    const { url, key, kernel } = await serve([liarDir, honest()]);

    const refused = await call(`${url}/liar`, { headers: { 'x-api-key': key } });
    expect(refused).toMatchObject({ status: 503, body: { error: { code: 'route_unavailable' } } });
    expect(refused.text).not.toContain('served');

    const record = kernel.record('liar')!;
    expect(record.state).toBe('failed');
    expect(record.diagnostics[0]).toEqual({
      level: 'error',
      code: 'plugin.contract-mismatch',
      pluginId: 'liar',
      message: 'httpRoutes "/liar": the object states auth "public", but the manifest says "token"; the manifest is what the host enforces',
      source: { file: join(liarDir, 'nexus.plugin.json'), pointer: '/contributes/httpRoutes/0/auth' },
      hint: `remove auth from the object: the manifest states it (/contributes/httpRoutes/0 in ${join(liarDir, 'nexus.plugin.json')}); if "public" is what you meant, change it there`,
    });
    await expect(kernel.contributions.get(HttpRoutes, '/liar')).rejects.toThrow('plugin liar contributes httpRoutes "/liar" but is failed: httpRoutes "/liar": the object states auth "public"');
    expect(kernel.record('honest')!.diagnostics).toEqual([]);

    expect((await call(`${url}/honest`, { headers: { 'x-api-key': key } })).body).toEqual({ caller: 'ops' });
    expect((await call(`${url}/metrics`, { headers: { 'x-api-key': key } })).status).toBe(200);
    expect((await call(`${url}/healthz`)).status).toBe(200);
  });

  it('is reported by verifyPluginContract, which passes a route that restates its manifest faithfully', async () => {
    const report = await verifyPluginContract({ plugin: liar() });
    expect(report.problems).toEqual([
      expect.stringMatching(/^plugin\.contract-mismatch: httpRoutes "\/liar": the object states auth "public", but the manifest says "token".*\(hint: remove auth from the object/),
    ]);
    expect(await verifyPluginContract({ plugin: honest() })).toEqual({ pluginId: 'honest', resolved: ['httpRoutes:/honest'], problems: [] });
  });
});
