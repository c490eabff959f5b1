import { describe, expect, it } from 'vitest';
import { call } from '../http/http-test-kit.js';
import { callback, consent, manualClock, startOAuth } from './oauth-test-kit.js';

/**
 * The code never reached the token endpoint: without an access token nothing about the user is
 * known, so nothing can have been created.
 */
function expectNoTokenRequest(fake: { tokenRequests: unknown[] }): void {
  expect(fake.tokenRequests).toEqual([]);
}

describe('oauth: the state check on the callback', () => {
  it('refuses a callback whose state does not match the cookie, and creates no user', async () => {
    const { url, fake } = await startOAuth();
    const trip = await consent(url, 'google');
    const forged = new URL(trip.callback);
    forged.searchParams.set('state', 'attacker-chosen-state');

    const reply = await callback(forged, trip.cookie);
    expect(reply).toMatchObject({ status: 400, body: { error: { code: 'state_mismatch', message: expect.stringContaining('start again at /auth/oauth/google/start') } } });
    expect(reply.headers.get('set-cookie')).toContain('Max-Age=0');
    expectNoTokenRequest(fake);
  });

  it('refuses a callback without the state cookie, as when another browser or a forged link delivers it', async () => {
    const { url, fake } = await startOAuth();
    const trip = await consent(url, 'google');
    expect(await callback(trip.callback, '')).toMatchObject({ status: 400, body: { error: { code: 'missing_state_cookie' } } });
    expectNoTokenRequest(fake);
  });

  it('refuses a callback without a state parameter', async () => {
    const { url, fake } = await startOAuth();
    const trip = await consent(url, 'google');
    const stripped = new URL(trip.callback);
    stripped.searchParams.delete('state');
    expect(await callback(stripped, trip.cookie)).toMatchObject({ status: 400, body: { error: { code: 'missing_state' } } });
    expectNoTokenRequest(fake);
  });

  it('refuses a state cookie this server did not seal', async () => {
    const { url, fake } = await startOAuth();
    const trip = await consent(url, 'google');
    const tampered = `${trip.cookie.slice(0, -4)}AAAA`;
    expect(await callback(trip.callback, tampered)).toMatchObject({ status: 400, body: { error: { code: 'invalid_state' } } });
    expect(await callback(trip.callback, 'nexus_oauth_google=not-even-a-jwe')).toMatchObject({ status: 400, body: { error: { code: 'invalid_state' } } });
    expectNoTokenRequest(fake);
  });

  it("refuses a GitHub state cookie at Google's callback", async () => {
    const { url, fake } = await startOAuth();
    const github = await consent(url, 'github');
    const google = await consent(url, 'google');
    const swapped = github.cookie.replace('nexus_oauth_github=', 'nexus_oauth_google=');
    expect(await callback(google.callback, swapped)).toMatchObject({ status: 400, body: { error: { code: 'invalid_state' } } });
    expectNoTokenRequest(fake);
  });

  it('refuses a state older than state_ttl_seconds', async () => {
    const clock = manualClock();
    const { url, fake } = await startOAuth({ clock, config: { state_ttl_seconds: 60 } });
    const trip = await consent(url, 'google');
    expect(trip.setCookie).toContain('Max-Age=60');
    clock.advance(61_000);
    expect(await callback(trip.callback, trip.cookie)).toMatchObject({ status: 400, body: { error: { code: 'expired_state', message: expect.stringContaining('expired') } } });
    expectNoTokenRequest(fake);
  });

  it('accepts a state once: replaying a completed callback is refused before the provider is asked again', async () => {
    const { url, fake } = await startOAuth();
    const trip = await consent(url, 'google');
    expect((await callback(trip.callback, trip.cookie)).status).toBe(200);
    expect(await callback(trip.callback, trip.cookie)).toMatchObject({ status: 400, body: { error: { code: 'state_used' } } });
    expect(fake.tokenRequests).toHaveLength(1);
  });

  it('refuses a callback that brings a valid state but no code', async () => {
    const { url } = await startOAuth();
    const trip = await consent(url, 'google');
    const noCode = new URL(trip.callback);
    noCode.searchParams.delete('code');
    expect(await callback(noCode, trip.cookie)).toMatchObject({ status: 400, body: { error: { code: 'missing_code' } } });
  });

  it('reports a provider error other than a denial as 400 provider_error, quoting it safely', async () => {
    const { url } = await startOAuth();
    const reply = await call(`${url}/auth/oauth/google/callback?error=server_error&error_description=${encodeURIComponent('down\r\nfor maintenance')}&state=x`);
    expect(reply).toMatchObject({ status: 400, body: { error: { code: 'provider_error', message: expect.stringContaining('Google did not sign you in: server_error (down for maintenance)') } } });
  });
});

describe('oauth: return_to', () => {
  it('redirects to a same-origin return_to with the token in the URL fragment', async () => {
    const { url } = await startOAuth();
    const trip = await consent(url, 'google', '?return_to=%2Fapp%2Fsigned-in%3Ftab%3D1');
    const reply = await callback(trip.callback, trip.cookie);
    expect(reply.status).toBe(302);
    const location = reply.headers.get('location')!;
    expect(location.startsWith('/app/signed-in?tab=1#token=')).toBe(true);
    const fragment = new URLSearchParams(location.slice(location.indexOf('#') + 1));
    expect(fragment.get('token')).toMatch(/^eyJ/);
    expect(fragment.get('user_id')).toBeTruthy();
    expect(reply.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('takes a return_to in any script, percent-encoding it, so the callback can redirect there once the user is created', async () => {
    const { url } = await startOAuth();
    const trip = await consent(url, 'google', `?return_to=${encodeURIComponent('/app/日本/café?q=ü ok')}`);
    const reply = await callback(trip.callback, trip.cookie);
    expect(reply.status).toBe(302);
    const location = reply.headers.get('location')!;
    expect(location.startsWith('/app/%E6%97%A5%E6%9C%AC/caf%C3%A9?q=%C3%BC%20ok#token=')).toBe(true);
    // The browser lands where it was asked to: the encoded path decodes to the original.
    expect(decodeURIComponent(location.slice(0, location.indexOf('#')))).toBe('/app/日本/café?q=ü ok');
  });

  it.each([
    ['//evil.example/steal', 'a path on this server'],
    ['https://evil.example/', 'a path on this server'],
    ['/\\evil.example', 'backslashes'],
    ['/ok#already-a-fragment', 'fragment'],
  ])('refuses return_to %s before anything is started', async (target, reason) => {
    const { url, fake } = await startOAuth();
    const reply = await call(`${url}/auth/oauth/google/start?return_to=${encodeURIComponent(target)}`, { redirect: 'manual' });
    expect(reply).toMatchObject({ status: 400, body: { error: { code: 'bad_return_to', message: expect.stringContaining(reason) } } });
    expect(reply.headers.get('set-cookie')).toBeNull();
    expect(fake.authorizations).toEqual([]);
  });
});
