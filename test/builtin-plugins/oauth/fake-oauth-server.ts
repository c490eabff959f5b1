import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onCleanup } from '../http/http-test-kit.js';

export const CLIENT = { id: 'nexus-test-client', secret: 'a-client-secret-nobody-else-knows' } as const;

export interface GoogleUser {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface GitHubUser {
  id: number;
  login: string;
  name?: string | null;
  email?: string | null;
  emails?: { email: string; primary: boolean; verified: boolean }[];
}

/** How the token endpoint misbehaves: not at all, a 500, a standard OAuth error, GitHub's 200-with-error, or silence. */
export type TokenBehaviour = 'ok' | 'status-500' | 'invalid-grant' | 'github-200-error' | 'hang';

export interface TokenRequest {
  readonly provider: 'google' | 'github';
  /** Whether the client authenticated, the code was live, and the redirect URI and PKCE verifier matched. */
  readonly accepted: boolean;
  /** Whether a PKCE verifier was checked against the authorization request's challenge. */
  readonly pkce?: boolean;
  readonly reason?: string;
}

export interface FakeOAuthServer {
  readonly url: string;
  /** `plugins.entries.oauth.config.endpoints` pointing here. */
  readonly endpoints: Record<'google' | 'github', Record<string, string>>;
  /** Who consents next at each provider. */
  googleUser: GoogleUser;
  githubUser: GitHubUser;
  /** The user presses "Cancel" on the consent page. */
  deny: boolean;
  token: TokenBehaviour;
  /** How the user info endpoints answer a valid access token. */
  userInfo: 'ok' | 'status-503' | 'not-json';
  /** Authorization requests as the browser made them. */
  readonly authorizations: URL[];
  readonly tokenRequests: TokenRequest[];
}

interface IssuedCode {
  readonly provider: 'google' | 'github';
  readonly redirectUri: string;
  readonly challenge?: string;
  readonly user: GoogleUser | GitHubUser;
}

/**
 * A local OAuth 2.0 / OpenID Connect provider speaking both Google's and GitHub's dialects, on
 * 127.0.0.1: the consent page redirects at once (or refuses), the token endpoint authenticates
 * the client by HTTP Basic, accepts each code once, and checks redirect URI and PKCE (S256) the
 * way a real authorization server does; the user info endpoints want the access token it issued.
 */
export async function startFakeOAuthServer(): Promise<FakeOAuthServer> {
  const codes = new Map<string, IssuedCode>();
  const accessTokens = new Map<string, IssuedCode>();
  const hanging = new Set<ServerResponse>();
  const fake: FakeOAuthServer = {
    url: '',
    endpoints: { google: {}, github: {} },
    googleUser: { sub: '1001', email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' },
    githubUser: { id: 583231, login: 'octocat', name: 'The Octocat', email: null, emails: [{ email: 'octocat@github.example', primary: true, verified: true }] },
    deny: false,
    token: 'ok',
    userInfo: 'ok',
    authorizations: [],
    tokenRequests: [],
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => route(request, response, Buffer.concat(chunks).toString('utf8')));
  });

  function route(request: IncomingMessage, response: ServerResponse, body: string): void {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const provider = url.pathname.startsWith('/google/') ? 'google' : 'github';
    if (request.method === 'GET' && (url.pathname === '/google/authorize' || url.pathname === '/github/login/oauth/authorize')) return authorize(provider, url, response);
    if (request.method === 'POST' && (url.pathname === '/google/token' || url.pathname === '/github/login/oauth/access_token')) return token(provider, request, body, response);
    if (request.method === 'GET' && url.pathname === '/google/userinfo') return userInfo(request, response, (user) => user);
    if (request.method === 'GET' && url.pathname === '/github/api/user') return userInfo(request, response, ({ emails: _emails, ...profile }) => profile);
    if (request.method === 'GET' && url.pathname === '/github/api/user/emails') return userInfo(request, response, (user) => (user as GitHubUser).emails ?? []);
    json(response, 404, { error: 'not_found' });
  }

  function authorize(provider: 'google' | 'github', url: URL, response: ServerResponse): void {
    fake.authorizations.push(url);
    const redirectUri = url.searchParams.get('redirect_uri');
    if (url.searchParams.get('client_id') !== CLIENT.id || !redirectUri) return json(response, 400, { error: 'invalid_request' });
    const back = new URL(redirectUri);
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    if (fake.deny) {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user denied the request');
    } else {
      const code = randomBytes(16).toString('hex');
      const challenge = url.searchParams.get('code_challenge_method') === 'S256' ? (url.searchParams.get('code_challenge') ?? undefined) : undefined;
      codes.set(code, { provider, redirectUri, ...(challenge ? { challenge } : {}), user: structuredClone(provider === 'google' ? fake.googleUser : fake.githubUser) });
      back.searchParams.set('code', code);
    }
    response.writeHead(302, { location: back.href }).end();
  }

  function token(provider: 'google' | 'github', request: IncomingMessage, body: string, response: ServerResponse): void {
    const refuse = (reason: string, status = 400) => {
      fake.tokenRequests.push({ provider, accepted: false, reason });
      if (provider === 'github') return json(response, 200, { error: reason === 'bad client' ? 'incorrect_client_credentials' : 'bad_verification_code', error_description: reason });
      json(response, status, { error: reason === 'bad client' ? 'invalid_client' : 'invalid_grant', error_description: reason });
    };
    if (fake.token === 'hang') {
      hanging.add(response);
      return;
    }
    if (fake.token === 'status-500') {
      fake.tokenRequests.push({ provider, accepted: false, reason: 'server error' });
      response.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Internal Server Error</h1>');
      return;
    }
    if (fake.token === 'invalid-grant') return refuse('Bad Request');
    if (fake.token === 'github-200-error') return json(response, 200, { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' });

    const expected = `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`;
    if (request.headers.authorization !== expected) return refuse('bad client', 401);
    const form = new URLSearchParams(body);
    const code = form.get('code') ?? '';
    const issued = codes.get(code);
    codes.delete(code);
    if (form.get('grant_type') !== 'authorization_code' || !issued || issued.provider !== provider) return refuse('unknown or used code');
    if (form.get('redirect_uri') !== issued.redirectUri) return refuse('redirect_uri differs from the authorization request');
    if (issued.challenge !== undefined) {
      const verifier = form.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== issued.challenge) return refuse('PKCE verification failed');
    }
    const accessToken = randomBytes(16).toString('hex');
    accessTokens.set(accessToken, issued);
    fake.tokenRequests.push({ provider, accepted: true, pkce: issued.challenge !== undefined });
    json(response, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 3599, scope: 'granted' });
  }

  function userInfo(request: IncomingMessage, response: ServerResponse, view: (user: GoogleUser & GitHubUser) => unknown): void {
    const issued = accessTokens.get((request.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!issued) return json(response, 401, { message: 'Bad credentials' });
    if (fake.userInfo === 'status-503') return json(response, 503, { message: 'Service Unavailable' });
    if (fake.userInfo === 'not-json') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<html>maintenance</html>');
    json(response, 200, view(issued.user as GoogleUser & GitHubUser));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(fake, {
    url: base,
    endpoints: {
      google: { authorization: `${base}/google/authorize`, token: `${base}/google/token`, userinfo: `${base}/google/userinfo` },
      github: { authorization: `${base}/github/login/oauth/authorize`, token: `${base}/github/login/oauth/access_token`, api: `${base}/github/api` },
    },
  });
  onCleanup(async () => {
    for (const response of hanging) response.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return fake;
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
