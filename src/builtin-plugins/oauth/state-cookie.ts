import type { IncomingHttpHeaders } from 'node:http';
import type { ProviderId } from './oauth-settings.js';

/** One cookie per provider, so signing in with Google does not disturb a GitHub sign-in in flight. */
export function stateCookieName(provider: ProviderId): string {
  return `nexus_oauth_${provider}`;
}

export interface CookieScope {
  /** The callback's path as the browser sees it, so the cookie goes only there. */
  readonly path: string;
  /** Secure when the callback is https, so the cookie never crosses plain HTTP. */
  readonly secure: boolean;
}

/** Where the state cookie lives, from the redirect URI the provider will send the browser to. */
export function cookieScope(redirectUri: string): CookieScope {
  const url = new URL(redirectUri);
  // A path a cookie attribute cannot carry as is falls back to `/` (still HttpOnly and short-lived).
  const path = /^\/[^;,\s]*$/.test(url.pathname) ? url.pathname : '/';
  return { path, secure: url.protocol === 'https:' };
}

/**
 * HttpOnly (no script reads it), SameSite=Lax (sent on the provider's top-level redirect back,
 * not on cross-site subrequests), Max-Age the state's lifetime.
 */
export function setStateCookie(provider: ProviderId, value: string, scope: CookieScope, maxAgeSeconds: number): string {
  return [`${stateCookieName(provider)}=${value}`, `Path=${scope.path}`, `Max-Age=${maxAgeSeconds}`, 'HttpOnly', 'SameSite=Lax', ...(scope.secure ? ['Secure'] : [])].join('; ');
}

export function clearStateCookie(provider: ProviderId, scope: CookieScope): string {
  return [`${stateCookieName(provider)}=`, `Path=${scope.path}`, 'Max-Age=0', 'HttpOnly', 'SameSite=Lax', ...(scope.secure ? ['Secure'] : [])].join('; ');
}

/** The cookie's value from the request's Cookie header(s), or undefined. */
export function readStateCookie(headers: IncomingHttpHeaders, provider: ProviderId): string | undefined {
  const name = stateCookieName(provider);
  const raw = headers.cookie;
  if (raw === undefined) return undefined;
  for (const pair of raw.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) {
      const value = pair.slice(at + 1).trim();
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}
