import { describe, expect, it } from 'vitest';
import type { ConfigAccess } from '@nexus/plugin-sdk';
import { readCredentials } from '../../../src/builtin-plugins/oauth/oauth-settings.js';

function settings(auth: unknown): ConfigAccess {
  return { path: undefined, home: '/nonexistent', section: <T>(name: string) => (name === 'auth' ? (auth as T) : undefined) };
}

const file = settings({ oauth: { google: { client_id: 'file-id', client_secret: 'file-secret', redirect_url: 'https://nexus.example.com/auth/oauth/google/callback' } } });

describe('oauth: where credentials come from', () => {
  it('takes the client id, secret and redirect URL from auth.oauth.<provider>', () => {
    expect(readCredentials(file, 'google', {})).toEqual({
      clientId: 'file-id',
      clientSecret: 'file-secret',
      redirectUrl: 'https://nexus.example.com/auth/oauth/google/callback',
      source: 'auth.oauth.google',
    });
  });

  it('lets NEXUS_OAUTH_<PROVIDER>_CLIENT_ID and _CLIENT_SECRET win over the file, each on its own', () => {
    expect(readCredentials(file, 'google', { NEXUS_OAUTH_GOOGLE_CLIENT_SECRET: 'env-secret' })).toMatchObject({
      clientId: 'file-id',
      clientSecret: 'env-secret',
      redirectUrl: 'https://nexus.example.com/auth/oauth/google/callback',
      source: 'NEXUS_OAUTH_GOOGLE_CLIENT_ID / NEXUS_OAUTH_GOOGLE_CLIENT_SECRET',
    });
  });

  it('configures a provider from the environment alone', () => {
    expect(readCredentials(settings({}), 'github', { NEXUS_OAUTH_GITHUB_CLIENT_ID: 'gh-id', NEXUS_OAUTH_GITHUB_CLIENT_SECRET: 'gh-secret' })).toMatchObject({ clientId: 'gh-id', clientSecret: 'gh-secret' });
  });

  it('treats an empty variable as unset', () => {
    expect(readCredentials(file, 'google', { NEXUS_OAUTH_GOOGLE_CLIENT_ID: '  ' })).toMatchObject({ clientId: 'file-id' });
  });

  it('leaves a provider absent when the id or the secret is missing, or the auth section is', () => {
    expect(readCredentials(settings({}), 'google', { NEXUS_OAUTH_GOOGLE_CLIENT_ID: 'only-id' })).toBeUndefined();
    expect(readCredentials(file, 'github', {})).toBeUndefined();
    expect(readCredentials(settings(undefined), 'google', {})).toBeUndefined();
  });
});
