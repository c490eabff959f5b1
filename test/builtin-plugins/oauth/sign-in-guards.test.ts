import { describe, expect, it } from 'vitest';
import { displayName, providerUserId, verifiedEmail } from '../../../src/builtin-plugins/oauth/providers/identity-fields.js';
import { checkReturnTo } from '../../../src/builtin-plugins/oauth/redirect-targets.js';
import { StateSeal, UnsealError } from '../../../src/builtin-plugins/oauth/state-seal.js';
import { UsedStates } from '../../../src/builtin-plugins/oauth/used-states.js';
import { manualClock } from './oauth-test-kit.js';

const pending = { state: 's-1', codeVerifier: 'v-1', redirectUri: 'http://127.0.0.1/cb' };

describe('oauth: the sealed state cookie', () => {
  it('opens what it sealed, and nothing sealed with another jwt_secret', async () => {
    const clock = manualClock(1_700_000_000_000);
    const sealed = await new StateSeal('x'.repeat(40), clock).seal('google', { ...pending, returnTo: '/app' }, 600);
    expect(sealed.expiresAt).toBe(1_700_000_600_000);
    expect(await new StateSeal('x'.repeat(40), clock).unseal('google', sealed.value)).toEqual({ ...pending, returnTo: '/app', expiresAt: 1_700_000_600_000 });
    const other = new StateSeal('y'.repeat(40), clock).unseal('google', sealed.value);
    await expect(other).rejects.toBeInstanceOf(UnsealError);
    await expect(other).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('is not a gateway JWT: the state key is derived from the secret, never the secret itself', async () => {
    const sealed = await new StateSeal('x'.repeat(40), manualClock()).seal('github', pending, 600);
    // A compact JWE (five parts), encrypted: the verifier does not appear in it.
    expect(sealed.value.split('.')).toHaveLength(5);
    expect(Buffer.from(sealed.value.split('.')[0]!, 'base64url').toString()).toBe('{"alg":"dir","enc":"A256GCM"}');
  });
});

describe('oauth: single-use states', () => {
  it('accepts a state once until it expires, then forgets it', () => {
    const used = new UsedStates();
    expect(used.consume('a', 2000, 1000)).toBe(true);
    expect(used.consume('a', 2000, 1500)).toBe(false);
    expect(used.consume('b', 3000, 2000)).toBe(true);
    expect(used.size).toBe(1);
  });

  it('stays within its capacity, dropping the oldest first', () => {
    const used = new UsedStates(2);
    used.consume('a', 10_000, 0);
    used.consume('b', 10_000, 0);
    used.consume('c', 10_000, 0);
    expect(used.size).toBe(2);
    expect(used.consume('c', 10_000, 0)).toBe(false);
    expect(used.consume('a', 10_000, 0)).toBe(true);
  });
});

describe('oauth: return_to', () => {
  it('percent-encodes what a Location header cannot carry, once, and keeps what it can', () => {
    expect(checkReturnTo('/app/naïve/😀')).toBe('/app/na%C3%AFve/%F0%9F%98%80');
    expect(checkReturnTo('/a b')).toBe('/a%20b');
    // Already encoded: unchanged, so checking twice (at start and at the callback) changes nothing.
    expect(checkReturnTo('/app/na%C3%AFve')).toBe('/app/na%C3%AFve');
    expect(() => checkReturnTo('/lone\ud800')).toThrow(expect.objectContaining({ status: 400, code: 'bad_return_to', message: expect.stringContaining('lone surrogate') }));
    // The limit counts the encoded form.
    expect(() => checkReturnTo(`/${'é'.repeat(200)}`)).toThrow(expect.objectContaining({ code: 'bad_return_to', message: expect.stringContaining('once percent-encoded; it is 1201') }));
  });

  it('accepts a path on this server, with a query', () => {
    expect(checkReturnTo('/app/done?x=1')).toBe('/app/done?x=1');
    expect(checkReturnTo(`/${'a'.repeat(1023)}`)).toHaveLength(1024);
    expect(checkReturnTo(null)).toBeUndefined();
  });

  it.each([
    ['an empty value', ''],
    ['a relative path', 'app'],
    ['a scheme-relative URL', '//evil.example'],
    ['a backslash browsers read as a slash', '/\\evil.example'],
    ['an absolute URL', 'https://evil.example'],
    ['a fragment of its own', '/a#b'],
    ['a control character', '/a\nb'],
    ['more than 1024 characters', `/${'a'.repeat(1024)}`],
  ])('refuses %s', (_label, value) => {
    expect(() => checkReturnTo(value)).toThrow(expect.objectContaining({ status: 400, code: 'bad_return_to' }));
  });
});

describe('oauth: what a provider says about the user', () => {
  it('passes an email on only when the provider verified it, and only if it looks like one', () => {
    expect(verifiedEmail(' ada@example.com ', true)).toBe('ada@example.com');
    expect(verifiedEmail('ada@example.com', false)).toBeUndefined();
    expect(verifiedEmail('not an email', true)).toBeUndefined();
    expect(verifiedEmail('a\u0000b@example.com', true)).toBeUndefined();
    expect(verifiedEmail(42, true)).toBeUndefined();
  });

  it('accepts string and integer ids, and nothing empty or odd', () => {
    expect(providerUserId(583231)).toBe('583231');
    expect(providerUserId('1001')).toBe('1001');
    expect(providerUserId('')).toBeUndefined();
    expect(providerUserId(1.5)).toBeUndefined();
    expect(providerUserId('a\u0000b')).toBeUndefined();
    expect(providerUserId(undefined)).toBeUndefined();
  });

  it('cleans display names: control characters out, cut at 200 characters without splitting a surrogate pair, first usable candidate wins', () => {
    expect(displayName('Ada\r\nLovelace')).toBe('Ada Lovelace');
    expect(displayName(null, '  ', 'octocat')).toBe('octocat');
    expect(Array.from(displayName('😀'.repeat(300))!)).toHaveLength(200);
    expect(displayName('\uD800 lone')).toBeUndefined();
  });
});
