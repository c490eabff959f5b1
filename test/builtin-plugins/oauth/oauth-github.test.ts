import { describe, expect, it } from 'vitest';
import { CredentialVerifierToken } from '@nexus/plugin-sdk';
import { CLIENT } from './fake-oauth-server.js';
import { consent, signIn, startOAuth } from './oauth-test-kit.js';

interface SignedIn {
  token: string;
  user: { id: string; email: string | null; name: string | null };
}

describe('oauth: signing in with GitHub', () => {
  it('asks for read:user and user:email with a state and a PKCE challenge', async () => {
    const { url, fake } = await startOAuth();
    const trip = await consent(url, 'github');
    expect(Object.fromEntries(fake.authorizations[0]!.searchParams)).toMatchObject({
      client_id: CLIENT.id,
      redirect_uri: `${url}/auth/oauth/github/callback`,
      scope: 'read:user user:email',
      code_challenge_method: 'S256',
    });
    expect(trip.setCookie).toMatch(/^nexus_oauth_github=[^;]+; Path=\/auth\/oauth\/github\/callback;/);
  });

  it('creates the user with the primary verified email when the profile hides it, and answers a JWT the gateway verifies', async () => {
    const { kernel, url, fake } = await startOAuth();
    fake.githubUser = {
      id: 583231,
      login: 'octocat',
      name: null,
      email: null,
      emails: [
        { email: 'old@github.example', primary: false, verified: true },
        { email: 'octocat@github.example', primary: true, verified: true },
      ],
    };
    const reply = await signIn(url, 'github');
    expect(reply.status, reply.text).toBe(200);
    const body = reply.body as SignedIn;
    expect(body.user).toMatchObject({ email: 'octocat@github.example', name: 'octocat' });
    expect(fake.tokenRequests).toEqual([{ provider: 'github', accepted: true, pkce: true }]);
    expect(await (await kernel.services.get(CredentialVerifierToken)).verify({ authorization: `Bearer ${body.token}` })).toMatchObject({ userId: body.user.id });
  });

  it('leaves the email out when the primary address is unverified, so it links to no one', async () => {
    const { url, fake, users } = await startOAuth();
    const existing = await (await users()).findOrCreate({ provider: 'google', providerId: 'g-1', email: 'octocat@github.example' });
    fake.githubUser = { id: 9, login: 'imposter', email: null, emails: [{ email: 'octocat@github.example', primary: true, verified: false }] };
    const body = (await signIn(url, 'github')).body as SignedIn;
    expect(body.user.id).not.toBe(existing.id);
    expect(body.user.email).toBeNull();
  });

  it('links a GitHub sign-in to the user who signed in with Google under the same email', async () => {
    const { url, fake } = await startOAuth();
    fake.googleUser = { sub: 'g-2', email: 'Grace@Example.com', email_verified: true, name: 'Grace Hopper' };
    const viaGoogle = (await signIn(url, 'google')).body as SignedIn;
    fake.githubUser = { id: 1906, login: 'grace', name: 'Grace', email: 'grace@example.com' };
    const viaGitHub = (await signIn(url, 'github')).body as SignedIn;
    expect(viaGitHub.user.id).toBe(viaGoogle.user.id);
  });

  it("answers 502 naming GitHub when its token endpoint reports an error with HTTP 200, GitHub's way", async () => {
    const { url, fake } = await startOAuth();
    fake.token = 'github-200-error';
    const reply = await signIn(url, 'github');
    expect(reply).toMatchObject({
      status: 502,
      body: { error: { code: 'token_exchange_failed', message: expect.stringMatching(/GitHub's token endpoint refused the authorization code \(bad_verification_code: The code passed is incorrect or expired\.\).*\(provider github\)/) } },
    });
  });

  it('answers 502 naming GitHub, pointing at the client credentials, when the client secret is wrong', async () => {
    const { url, kernel } = await startOAuth({ auth: { oauth: { github: { client_id: CLIENT.id, client_secret: 'not-the-secret' } } } });
    const reply = await signIn(url, 'github');
    expect(reply).toMatchObject({ status: 502, body: { error: { code: 'token_exchange_failed', message: expect.stringContaining('check the client id and secret (auth.oauth.github)') } } });
    // The operator gets it in the log too; the secret itself appears nowhere.
    const logged = kernel.logs.find((entry) => entry.msg.startsWith('sign-in with github failed'));
    expect(logged).toMatchObject({ level: 'warn', fields: { provider: 'github', code: 'token_exchange_failed' } });
    expect(JSON.stringify(kernel.logs)).not.toContain('not-the-secret');
    expect(reply.text).not.toContain('not-the-secret');
  });
});
