import { CodeChallengeMethod, OAuth2Client } from 'arctic';
import type { GoogleEndpoints, ProviderCredentials } from '../oauth-settings.js';
import { displayName, providerUserId, verifiedEmail } from './identity-fields.js';
import { apiGet, userInfoFailed } from './provider-api.js';
import type { OAuthProvider } from './provider.js';
import { exchangeCode } from './token-exchange.js';

const SCOPES = ['openid', 'email', 'profile'];

/**
 * Google, or any OpenID Connect issuer given its endpoints: authorization code with PKCE (S256),
 * then the standard user info claims (`sub`, `email`, `email_verified`, `name`).
 */
export function googleProvider(credentials: ProviderCredentials, endpoints: GoogleEndpoints): OAuthProvider {
  const provider = { id: 'google', label: 'Google' } as const;
  return {
    ...provider,
    authorizationUrl({ state, codeVerifier, redirectUri }) {
      const client = new OAuth2Client(credentials.clientId, credentials.clientSecret, redirectUri);
      return client.createAuthorizationURLWithPKCE(endpoints.authorization, state, CodeChallengeMethod.S256, codeVerifier, SCOPES);
    },

    exchange: (request) => exchangeCode(provider, credentials, endpoints.token, request),

    async identity(accessToken, signal) {
      const answer = await apiGet({ provider, url: endpoints.userinfo, accessToken, what: 'user info', signal });
      if (!answer.ok) throw userInfoFailed(provider, `Google's user info endpoint answered HTTP ${answer.status}`);
      const claims = (typeof answer.json === 'object' && answer.json !== null ? answer.json : {}) as Record<string, unknown>;
      const providerId = providerUserId(claims.sub);
      if (providerId === undefined) throw userInfoFailed(provider, "Google's user info has no usable subject (sub)");
      // Some issuers send the flag as the string "true".
      const verified = claims.email_verified === true || claims.email_verified === 'true';
      const email = verifiedEmail(claims.email, verified);
      const name = displayName(claims.name, [claims.given_name, claims.family_name].filter((part) => typeof part === 'string').join(' '));
      return { providerId, ...(email !== undefined ? { email } : {}), ...(name !== undefined ? { name } : {}) };
    },
  };
}
