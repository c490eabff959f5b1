import { isIP } from 'node:net';
import type { OAuthPluginConfig, ProviderCredentials, ProviderId } from './oauth-settings.js';

/**
 * Why a provider's URLs cannot be used, or undefined. The client secret, the code and the access
 * token travel to these endpoints, so plain http:// is refused except on this machine (local fakes
 * and tests).
 */
export function endpointProblem(id: ProviderId, credentials: ProviderCredentials, config: OAuthPluginConfig): string | undefined {
  for (const [key, value] of Object.entries(config.endpoints[id])) {
    const url = parse(value);
    if (!url) return `plugins.entries.oauth.config.endpoints.${id}.${key} is not a URL`;
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
      return `plugins.entries.oauth.config.endpoints.${id}.${key} (${value}) must use https:// (plain http:// is allowed only on loopback)`;
    }
  }
  if (credentials.redirectUrl !== undefined) {
    const url = parse(credentials.redirectUrl);
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return `auth.oauth.${id}.redirect_url must be an http:// or https:// URL`;
  }
  return undefined;
}

function parse(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (host === 'localhost') return true;
  const family = isIP(host);
  return family === 4 ? host.startsWith('127.') : family === 6 && host === '::1';
}
