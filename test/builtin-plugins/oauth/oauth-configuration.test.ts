import { describe, expect, it } from 'vitest';
import { HttpServerToken } from '@nexus/plugin-sdk';
import { createTestKernel } from '../../../src/kernel/testing/index.js';
import { call, gatewaySettingsPlugin, httpPluginDir, onCleanup } from '../http/http-test-kit.js';
import { CLIENT, startFakeOAuthServer } from './fake-oauth-server.js';
import { JWT_SECRET, oauthPluginDir, startOAuth } from './oauth-test-kit.js';

describe('oauth: configuration', () => {
  it('answers 404 naming the settings for a provider without credentials, and keeps serving the other', async () => {
    const { url, kernel } = await startOAuth({ providers: ['github'] });
    const reply = await call(`${url}/auth/oauth/google/start`, { redirect: 'manual' });
    expect(reply).toMatchObject({
      status: 404,
      body: { error: { code: 'provider_not_configured', message: expect.stringContaining('auth.oauth.google.client_id and client_secret in nexus.yaml, or NEXUS_OAUTH_GOOGLE_CLIENT_ID and NEXUS_OAUTH_GOOGLE_CLIENT_SECRET') } },
    });
    expect((await call(`${url}/auth/oauth/google/callback?code=x&state=y`)).status).toBe(404);
    expect((await call(`${url}/auth/oauth/github/start`, { redirect: 'manual' })).status).toBe(302);
    expect((await call(`${url}/auth/oauth`)).body).toEqual({
      providers: [
        { id: 'google', available: false },
        { id: 'github', available: true, start: '/auth/oauth/github/start' },
      ],
    });
    expect(kernel.summary().state).toBe('active');
  });

  it('serves the provider list with no provider configured at all, without failing the plugin', async () => {
    const { url, kernel } = await startOAuth({ providers: [] });
    expect((await call(`${url}/auth/oauth/`)).body).toEqual({ providers: [{ id: 'google', available: false }, { id: 'github', available: false }] });
    expect((await call(`${url}/auth/oauth/github`, { redirect: 'manual' })).status).toBe(404);
    expect(kernel.summary().diagnostics.filter((d) => d.level === 'error')).toEqual([]);
  });

  it('answers 503 signin_unavailable from /start when auth.jwt_secret is not set, since no token could be issued', async () => {
    const { url, fake, kernel } = await startOAuth({ auth: { jwt_secret: undefined } });
    const reply = await call(`${url}/auth/oauth/google/start`, { redirect: 'manual' });
    expect(reply).toMatchObject({ status: 503, body: { error: { code: 'signin_unavailable', message: expect.stringContaining('auth.jwt_secret is not set') } } });
    expect(fake.authorizations).toEqual([]);
    expect(kernel.logs.some((entry) => entry.level === 'warn' && entry.msg.includes('cannot start until auth.jwt_secret is set'))).toBe(true);
  });

  it('answers 503 signin_unavailable, before sending anyone to the provider, when no user store or token issuer is enabled', async () => {
    const fake = await startFakeOAuthServer();
    const kernel = createTestKernel({
      plugin: oauthPluginDir,
      config: { endpoints: fake.endpoints },
      // The gateway's settings without its code, and no storage: credentials, but nobody to issue tokens or keep users.
      with: [httpPluginDir, gatewaySettingsPlugin()],
      settings: { server: { host: '127.0.0.1', http_port: 0 }, auth: { jwt_secret: JWT_SECRET, oauth: { google: { client_id: CLIENT.id, client_secret: CLIENT.secret } } } },
    });
    onCleanup(() => kernel.stop());
    const url = (await kernel.services.get(HttpServerToken)).address()!.url;
    const reply = await call(`${url}/auth/oauth/google/start`, { redirect: 'manual' });
    expect(reply).toMatchObject({
      status: 503,
      body: { error: { code: 'signin_unavailable', message: 'sign-in is unavailable: it needs the token issuer (enable the gateway plugin) and a user store (enable a storage plugin)' } },
    });
    expect(fake.authorizations).toEqual([]);
  });

  it('turns a provider off with 503 when its endpoint would send the client secret over plain HTTP to another host', async () => {
    const { url, kernel } = await startOAuth({ config: { endpoints: { google: { token: 'http://idp.example.com/token' } } } });
    const reply = await call(`${url}/auth/oauth/google/start`, { redirect: 'manual' });
    expect(reply).toMatchObject({ status: 503, body: { error: { code: 'provider_misconfigured', message: expect.stringContaining('endpoints.google.token (http://idp.example.com/token) must use https://') } } });
    expect(kernel.logs.some((entry) => entry.level === 'error' && entry.msg.includes('OAuth sign-in with google is off'))).toBe(true);
    expect((await call(`${url}/auth/oauth/github/start`, { redirect: 'manual' })).status).toBe(302);
  });

  it('refuses an endpoint that is not an http(s) URL through its config schema, naming the key', async () => {
    const kernel = createTestKernel({ plugin: oauthPluginDir, config: { endpoints: { github: { api: 'ftp://files.example' } } }, with: [httpPluginDir] });
    onCleanup(() => kernel.stop());
    await expect(kernel.activate()).rejects.toThrow();
    expect(kernel.summary().diagnostics.map((d) => d.message).join('\n')).toMatch(/endpoints\/github\/api/);
  });

  it.each([
    ['/auth/oauth/gitlab/start', 404, 'unknown_provider'],
    ['/auth/oauth/google/finish', 404, 'not_found'],
    ['/auth/oauth/google/callback/extra', 404, 'not_found'],
  ])('answers %s with %i %s', async (path, status, code) => {
    const { url } = await startOAuth();
    expect(await call(`${url}${path}`, { redirect: 'manual' })).toMatchObject({ status, body: { error: { code } } });
  });

  it('answers 405 with Allow: GET to other methods', async () => {
    const { url } = await startOAuth();
    const reply = await call(`${url}/auth/oauth/google/start`, { method: 'POST', body: '{}' });
    expect(reply).toMatchObject({ status: 405, body: { error: { code: 'method_not_allowed' } } });
    expect(reply.headers.get('allow')).toBe('GET');
  });
});
