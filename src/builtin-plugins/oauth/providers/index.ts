import type { OAuthPluginConfig, ProviderCredentials, ProviderId } from '../oauth-settings.js';
import { githubProvider } from './github.js';
import { googleProvider } from './google.js';
import type { OAuthProvider } from './provider.js';

export type { OAuthProvider, VerifiedIdentity } from './provider.js';

export function createProvider(id: ProviderId, credentials: ProviderCredentials, config: OAuthPluginConfig): OAuthProvider {
  return id === 'google' ? googleProvider(credentials, config.endpoints.google) : githubProvider(credentials, config.endpoints.github);
}
