import { CodeChallengeMethod, OAuth2Client } from 'arctic';
import type { GitHubEndpoints, ProviderCredentials } from '../oauth-settings.js';
import { displayName, providerUserId, verifiedEmail } from './identity-fields.js';
import { apiGet, userInfoFailed } from './provider-api.js';
import type { OAuthProvider } from './provider.js';
import { exchangeCode } from './token-exchange.js';

const SCOPES = ['read:user', 'user:email'];
const API_HEADERS = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28' };

/**
 * GitHub (or GitHub Enterprise Server, given its endpoints). arctic's GitHub class has fixed
 * URLs and no PKCE; the generic client is used instead, with a PKCE (S256) challenge, which
 * GitHub verifies since July 2025 and older servers ignore as an unknown parameter.
 */
export function githubProvider(credentials: ProviderCredentials, endpoints: GitHubEndpoints): OAuthProvider {
  const provider = { id: 'github', label: 'GitHub' } as const;
  const api = endpoints.api.replace(/\/+$/, '');
  return {
    ...provider,
    authorizationUrl({ state, codeVerifier, redirectUri }) {
      const client = new OAuth2Client(credentials.clientId, credentials.clientSecret, redirectUri);
      return client.createAuthorizationURLWithPKCE(endpoints.authorization, state, CodeChallengeMethod.S256, codeVerifier, SCOPES);
    },

    exchange: (request) => exchangeCode(provider, credentials, endpoints.token, request),

    async identity(accessToken, signal) {
      const answer = await apiGet({ provider, url: `${api}/user`, accessToken, what: 'user profile', signal, headers: API_HEADERS });
      if (!answer.ok) throw userInfoFailed(provider, `GitHub's ${api}/user answered HTTP ${answer.status}`);
      const profile = (typeof answer.json === 'object' && answer.json !== null ? answer.json : {}) as Record<string, unknown>;
      const providerId = providerUserId(profile.id);
      if (providerId === undefined) throw userInfoFailed(provider, "GitHub's user profile has no usable id");
      // GitHub lets users make only a verified address public, so a profile email is a verified one.
      const email = verifiedEmail(profile.email, true) ?? (await primaryVerifiedEmail(accessToken, signal));
      const name = displayName(profile.name, profile.login);
      return { providerId, ...(email !== undefined ? { email } : {}), ...(name !== undefined ? { name } : {}) };
    },
  };

  /** The primary address, if verified; none when the list is refused (the scope was not granted). */
  async function primaryVerifiedEmail(accessToken: string, signal: AbortSignal): Promise<string | undefined> {
    const answer = await apiGet({ provider, url: `${api}/user/emails`, accessToken, what: 'email addresses', signal, headers: API_HEADERS });
    if (!answer.ok || !Array.isArray(answer.json)) return undefined;
    const primary = (answer.json as unknown[]).find((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null && (entry as Record<string, unknown>).primary === true);
    return primary ? verifiedEmail(primary.email, primary.verified === true) : undefined;
  }
}
