import { describe, expect, it } from 'vitest';
import { CredentialVerifierToken } from '@nexus/plugin-sdk';
import { call } from '../http/http-test-kit.js';
import { CLIENT } from './fake-oauth-server.js';
import { callback, consent, signIn, startOAuth } from './oauth-test-kit.js';

interface SignedIn {
  token: string;
  expires_at: string;
  provider: string;
  user: { id: string; email: string | null; name: string | null };
}

describe('oauth: signing in with Google', () => {
  it('redirects to the consent page with a state bound to an HttpOnly, SameSite=Lax cookie and a PKCE S256 challenge', async () => {
    const { url, fake } = await startOAuth();
    const trip = await consent(url, 'google');

    const authorize = fake.authorizations[0]!;
    expect(authorize.origin + authorize.pathname).toBe(fake.endpoints.google.authorization);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: CLIENT.id,
      redirect_uri: `${url}/auth/oauth/google/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    expect(authorize.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(trip.setCookie).toMatch(/^nexus_oauth_google=[^;]+; Path=\/auth\/oauth\/google\/callback; Max-Age=600; HttpOnly; SameSite=Lax$/);
    expect(trip.start.headers.get('cache-control')).toBe('no-store');
    // The cookie is sealed: neither the state nor the PKCE verifier can be read from it.
    expect(trip.cookie).not.toContain(authorize.searchParams.get('state'));
    expect(trip.callback.searchParams.get('state')).toBe(authorize.searchParams.get('state'));
  });

  it('creates the user on first sign-in, after a PKCE-verified code exchange, and answers a JWT that the gateway verifies', async () => {
    const { kernel, url, fake, users } = await startOAuth();
    const reply = await signIn(url, 'google');

    expect(reply.status, reply.text).toBe(200);
    const body = reply.body as SignedIn;
    expect(body).toMatchObject({ provider: 'google', user: { email: 'ada@example.com', name: 'Ada Lovelace' } });
    expect(Date.parse(body.expires_at) - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.headers.get('set-cookie')).toMatch(/^nexus_oauth_google=; Path=\/auth\/oauth\/google\/callback; Max-Age=0/);
    expect(fake.tokenRequests).toEqual([{ provider: 'google', accepted: true, pkce: true }]);

    const principal = await (await kernel.services.get(CredentialVerifierToken)).verify({ authorization: `Bearer ${body.token}` });
    expect(principal).toMatchObject({ userId: body.user.id, via: 'jwt' });
    expect(await (await users()).get(body.user.id)).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace' });
  });

  it('signs the same Google account in as the same user the second time', async () => {
    const { url } = await startOAuth();
    const first = (await signIn(url, 'google')).body as SignedIn;
    const second = (await signIn(url, 'google')).body as SignedIn;
    expect(second.user.id).toBe(first.user.id);
  });

  it('links a Google sign-in to the existing user with the same email in another case instead of creating a duplicate', async () => {
    const { url, fake, users } = await startOAuth();
    const existing = await (await users()).findOrCreate({ provider: 'github', providerId: '42', email: 'Ada.Lovelace@Example.COM', name: 'Ada' });
    fake.googleUser = { sub: '777', email: 'ada.lovelace@example.com', email_verified: true, name: 'Ada L.' };

    const linked = (await signIn(url, 'google')).body as SignedIn;
    expect(linked.user.id).toBe(existing.id);
    // The Google identity is now linked: found by provider id even once the email changes.
    fake.googleUser = { sub: '777', email: 'ada@new-domain.example', email_verified: true };
    expect(((await signIn(url, 'google')).body as SignedIn).user.id).toBe(existing.id);
  });

  it('does not link by an email Google has not verified, so an unproven address cannot take over a user', async () => {
    const { url, fake, users } = await startOAuth();
    const existing = await (await users()).findOrCreate({ provider: 'github', providerId: '42', email: 'victim@example.com' });
    fake.googleUser = { sub: '666', email: 'victim@example.com', email_verified: false, name: 'Mallory' };

    const body = (await signIn(url, 'google')).body as SignedIn;
    expect(body.user.id).not.toBe(existing.id);
    expect(body.user).toEqual({ id: body.user.id, email: null, name: 'Mallory' });
  });

  it('answers 403 access_denied when the user declines consent, and creates no user', async () => {
    const { url, fake } = await startOAuth();
    fake.deny = true;
    const trip = await consent(url, 'google');
    expect(trip.callback.searchParams.get('error')).toBe('access_denied');

    const reply = await callback(trip.callback, trip.cookie);
    expect(reply).toMatchObject({ status: 403, body: { error: { code: 'access_denied', message: expect.stringContaining('declined to let Nexus use your Google account') } } });
    expect(reply.headers.get('set-cookie')).toContain('Max-Age=0');
    expect(fake.tokenRequests).toEqual([]);
  });

  it('answers 502 naming Google when its token endpoint fails, and creates no user', async () => {
    const { url, fake, users } = await startOAuth();
    fake.token = 'status-500';
    const reply = await signIn(url, 'google');
    expect(reply).toMatchObject({ status: 502, body: { error: { code: 'token_exchange_failed', message: expect.stringMatching(/Google's token endpoint answered HTTP 500.*\(provider google\)/) } } });

    fake.token = 'invalid-grant';
    const refused = await signIn(url, 'google');
    expect(refused).toMatchObject({ status: 502, body: { error: { code: 'token_exchange_failed', message: expect.stringContaining('refused the authorization code (invalid_grant: Bad Request)') } } });

    // Had either attempt created the user, this lookup would find it rather than create it now.
    const before = Date.now();
    expect((await (await users()).findOrCreate({ provider: 'google', providerId: fake.googleUser.sub })).createdAt).toBeGreaterThanOrEqual(before);
  });

  it('answers 502 userinfo_failed naming Google when its user info cannot be read, and creates no user', async () => {
    const { url, fake, users } = await startOAuth();
    fake.userInfo = 'status-503';
    expect(await signIn(url, 'google')).toMatchObject({ status: 502, body: { error: { code: 'userinfo_failed', message: "Google's user info endpoint answered HTTP 503 (provider google)" } } });
    fake.userInfo = 'not-json';
    expect(await signIn(url, 'google')).toMatchObject({ status: 502, body: { error: { code: 'userinfo_failed', message: 'the user info from Google is not JSON (provider google)' } } });

    // Had either attempt created the user, this lookup would find it rather than create it now.
    const before = Date.now();
    const user = await (await users()).findOrCreate({ provider: 'google', providerId: fake.googleUser.sub });
    expect(user.createdAt).toBeGreaterThanOrEqual(before);
  });

  it('gives up on a token endpoint that does not answer within provider_timeout_ms', async () => {
    const { url, fake } = await startOAuth({ config: { provider_timeout_ms: 1000 } });
    fake.token = 'hang';
    const started = Date.now();
    const reply = await signIn(url, 'google');
    expect(reply).toMatchObject({ status: 502, body: { error: { code: 'token_exchange_failed', message: expect.stringContaining('did not answer in time') } } });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('uses the configured redirect_url, and marks the cookie Secure when it is https', async () => {
    const redirect = 'https://nexus.example.com/gateway/auth/oauth/google/callback';
    const { url, fake } = await startOAuth({ auth: { oauth: { google: { client_id: CLIENT.id, client_secret: CLIENT.secret, redirect_url: redirect } } } });
    const start = await call(`${url}/auth/oauth/google/start`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    expect(new URL(start.headers.get('location')!).searchParams.get('redirect_uri')).toBe(redirect);
    expect(start.headers.get('set-cookie')).toMatch(/; Path=\/gateway\/auth\/oauth\/google\/callback; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/);
    expect(fake.authorizations).toEqual([]);
  });
});
