import { status } from '@grpc/grpc-js';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { TokenIssuerToken } from '@nexus/plugin-sdk';
import { apiKeyStore, call, createApiKey, creds, failure, issueToken, JWT_SECRET, startGateway } from './gateway-test-kit.js';

const jwtSettings = { auth: { jwt_secret: JWT_SECRET } };
const now = () => Math.floor(Date.now() / 1000);

/** A token signed by whoever holds `secret`, with the given claims and algorithm. */
function sign(claims: { sub?: string; iat?: number; exp?: number; nbf?: number }, secret = JWT_SECRET, alg = 'HS256'): Promise<string> {
  const jwt = new SignJWT({}).setProtectedHeader({ alg, typ: 'JWT' });
  if (claims.sub !== undefined) jwt.setSubject(claims.sub);
  if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
  if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
  if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
  return jwt.sign(new TextEncoder().encode(secret));
}

function unsigned(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

describe('gRPC auth', () => {
  it('lets callers in without credentials when none are configured and the server is on loopback', async () => {
    const gw = await startGateway();
    const agent = await call(gw.agents, 'createAgent', { name: 'helper', systemPrompt: '', model: '' });
    expect(agent.userId).toBe('local');
  });

  it('accepts a JWT from the token issuer and acts as its subject', async () => {
    const gw = await startGateway({ settings: jwtSettings });
    const token = await issueToken(gw.kernel, 'alice');
    const agent = await call(gw.agents, 'createAgent', { name: 'helper', systemPrompt: '', model: '' }, creds({ bearer: token }));
    expect(agent.userId).toBe('alice');
  });

  it('accepts an API key from `nexus auth api-key create` and acts as its user', async () => {
    const gw = await startGateway();
    const { key } = await createApiKey(gw.kernel, 'ci', 'bob');
    const agent = await call(gw.agents, 'createAgent', { name: 'helper', systemPrompt: '', model: '' }, creds({ apiKey: key }));
    expect(agent.userId).toBe('bob');
  });

  it('requires credentials once a JWT secret is set, even on loopback', async () => {
    const gw = await startGateway({ settings: jwtSettings });
    const error = await failure(call(gw.agents, 'listAgents', { pageSize: 0, pageToken: '' }));
    expect(error.code).toBe(status.UNAUTHENTICATED);
    expect(error.details).toMatch(/missing credentials.*Bearer.*x-api-key/);
  });

  it('requires credentials once any API key exists, even without a JWT secret', async () => {
    const gw = await startGateway();
    await call(gw.sessions, 'listSessions', { agentId: '', channel: '', pageSize: 0, pageToken: '' });
    await createApiKey(gw.kernel, 'first');
    const error = await failure(call(gw.sessions, 'listSessions', { agentId: '', channel: '', pageSize: 0, pageToken: '' }));
    expect(error.code).toBe(status.UNAUTHENTICATED);
  });

  it('refuses a revoked API key and an unknown one', async () => {
    const gw = await startGateway();
    const { id, key } = await createApiKey(gw.kernel, 'old');
    await (await apiKeyStore(gw.kernel)).revoke(id);
    for (const apiKey of [key, 'nxk_not-a-key-that-exists-anywhere-at-all']) {
      const error = await failure(call(gw.agents, 'listAgents', { pageSize: 0, pageToken: '' }, creds({ apiKey })));
      expect(error.code).toBe(status.UNAUTHENTICATED);
      expect(error.details).toMatch(/invalid API key/);
    }
  });

  it('refuses a token signed with another secret', async () => {
    const gw = await startGateway({ settings: jwtSettings });
    const forged = await sign({ sub: 'mallory', iat: now(), exp: now() + 3600 }, 'another-secret-that-is-long-enough-0123456');
    const error = await failure(call(gw.agents, 'listAgents', { pageSize: 0, pageToken: '' }, creds({ bearer: forged })));
    expect(error.code).toBe(status.UNAUTHENTICATED);
    expect(error.details).toMatch(/signature does not match/);
  });

  it('refuses an expired token, but tolerates a little clock skew', async () => {
    const gw = await startGateway({ settings: jwtSettings });
    const expired = await sign({ sub: 'alice', iat: now() - 7200, exp: now() - 3600 });
    const error = await failure(call(gw.agents, 'listAgents', { pageSize: 0, pageToken: '' }, creds({ bearer: expired })));
    expect(error.code).toBe(status.UNAUTHENTICATED);
    expect(error.details).toMatch(/expired/);

    const justExpired = await sign({ sub: 'alice', iat: now() - 600, exp: now() - 5 });
    await expect(call(gw.agents, 'listAgents', { pageSize: 0, pageToken: '' }, creds({ bearer: justExpired }))).resolves.toMatchObject({ totalCount: 0 });
  });

  it('refuses an alg=none token, another algorithm, and missing or future-dated claims', async () => {
    const gw = await startGateway({ settings: jwtSettings });
    const tokens = {
      none: unsigned({ sub: 'alice', iat: now(), exp: now() + 3600 }),
      hs512: await sign({ sub: 'alice', iat: now(), exp: now() + 3600 }, JWT_SECRET, 'HS512'),
      noExpiry: await sign({ sub: 'alice', iat: now() }),
      noSubject: await sign({ iat: now(), exp: now() + 3600 }),
      issuedInTheFuture: await sign({ sub: 'alice', iat: now() + 600, exp: now() + 3600 }),
      notYetValid: await sign({ sub: 'alice', iat: now(), nbf: now() + 600, exp: now() + 3600 }),
    };
    for (const [kind, token] of Object.entries(tokens)) {
      const error = await failure(call(gw.agents, 'listAgents', { pageSize: 0, pageToken: '' }, creds({ bearer: token })));
      expect(error.code, kind).toBe(status.UNAUTHENTICATED);
      expect(error.details, kind).toMatch(/^invalid token: /);
    }
  });

  it('refuses a validly signed token whose subject is not a user id: not a string, empty, too long, or with a control character', async () => {
    const gw = await startGateway({ settings: jwtSettings });
    const signed = (claims: Record<string, unknown>) => new SignJWT({ iat: now(), exp: now() + 3600, ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(JWT_SECRET));
    const cases: [string, Record<string, unknown>, string][] = [
      ['a number', { sub: 42 }, 'its subject (sub) must be a string, not number'],
      ['a boolean', { sub: true }, 'its subject (sub) must be a string, not boolean'],
      ['an object', { sub: { id: 'alice' } }, 'its subject (sub) must be a string, not object'],
      ['an array', { sub: ['alice'] }, 'its subject (sub) must be a string, not an array'],
      ['empty', { sub: '' }, 'its subject (sub) is empty'],
      ['blank', { sub: '   ' }, 'its subject (sub) is empty'],
      ['6,000 characters', { sub: 'a'.repeat(6000) }, 'its subject (sub) is 6000 characters long; the limit is 256'],
      ['a NUL character', { sub: 'alice\u0000admin' }, 'its subject (sub) contains the control character U+0000 at index 5'],
      ['a newline', { sub: 'alice\nadmin' }, 'its subject (sub) contains the control character U+000A at index 5'],
      ['a lone surrogate', { sub: 'alice\ud800' }, 'its subject (sub) is not well-formed Unicode (it holds a lone surrogate)'],
      ['an unknown role', { sub: 'alice', role: 'root' }, 'its role claim must be admin or user, not "root"'],
      ['a role that is not text', { sub: 'alice', role: 1 }, 'its role claim must be admin or user, not 1'],
    ];
    for (const [what, claims, reason] of cases) {
      const error = await failure(call(gw.sessions, 'listSessions', { agentId: '', channel: '', pageSize: 0, pageToken: '' }, creds({ bearer: await signed(claims) })));
      expect(error.code, what).toBe(status.UNAUTHENTICATED);
      expect(error.details, what).toBe(`invalid token: ${reason}`);
    }
    // At the limit, and without a role claim (tokens issued before roles existed): a user.
    const atLimit = await signed({ sub: 'a'.repeat(256) });
    await expect(call(gw.sessions, 'listSessions', { agentId: '', channel: '', pageSize: 0, pageToken: '' }, creds({ bearer: atLimit }))).resolves.toMatchObject({ totalCount: 0 });
    const created = await call(gw.sessions, 'createSession', { agentId: '', channel: '', channelId: 'x', title: '', metadata: {} }, creds({ bearer: await signed({ sub: 'carol' }) }));
    expect(created).toMatchObject({ ownerId: 'carol', key: 'main:api:carol:x' });
  });

  it('acts with the role the token carries', async () => {
    const gw = await startGateway({ settings: jwtSettings });
    const issuer = await gw.kernel.services.get(TokenIssuerToken);
    const user = creds({ bearer: (await issuer.issue('alice')).token });
    const admin = creds({ bearer: (await issuer.issue('root', { role: 'admin' })).token });
    const system = await call(gw.sessions, 'createSession', { agentId: '', channel: 'webhook', channelId: 'c1', title: '', metadata: {} }, admin);
    expect((await failure(call(gw.sessions, 'getSession', { id: system.id, key: '' }, user))).code).toBe(status.NOT_FOUND);
    expect(await call(gw.sessions, 'getSession', { id: system.id, key: '' }, admin)).toEqual(system);
  });

  it('checks the bearer token before the API key: a bad token fails even with a good key', async () => {
    const gw = await startGateway({ settings: jwtSettings });
    const { key } = await createApiKey(gw.kernel, 'ci', 'bob');
    const forged = await sign({ sub: 'mallory', iat: now(), exp: now() + 3600 }, 'another-secret-that-is-long-enough-0123456');
    const error = await failure(call(gw.agents, 'listAgents', { pageSize: 0, pageToken: '' }, creds({ bearer: forged, apiKey: key })));
    expect(error.code).toBe(status.UNAUTHENTICATED);

    const token = await issueToken(gw.kernel, 'alice');
    const agent = await call(gw.agents, 'createAgent', { name: 'mine', systemPrompt: '', model: '' }, creds({ bearer: token, apiKey: key }));
    expect(agent.userId).toBe('alice');
  });

  it('refuses an authorization header that is not a bearer token, and bearer tokens when no secret is set', async () => {
    const gw = await startGateway();
    const basic = await failure(call(gw.agents, 'listAgents', { pageSize: 0, pageToken: '' }, creds({ authorization: 'Basic YWxpY2U6cHc=' })));
    expect(basic.code).toBe(status.UNAUTHENTICATED);
    expect(basic.details).toMatch(/Bearer <token>/);

    const bearer = await failure(call(gw.agents, 'listAgents', { pageSize: 0, pageToken: '' }, creds({ bearer: 'abc.def.ghi' })));
    expect(bearer.code).toBe(status.UNAUTHENTICATED);
    expect(bearer.details).toMatch(/auth\.jwt_secret is not set/);
  });

  it('answers the standard health service without credentials, but nothing else', async () => {
    const gw = await startGateway({ settings: jwtSettings });
    const health = await new Promise<{ status: string }>((resolve, reject) => gw.standardHealth.check({ service: '' }, (error, response) => (error ? reject(error) : resolve(response))));
    expect(health.status).toBe('SERVING');

    const own = await failure(call(gw.health, 'check', { service: '' }));
    expect(own.code).toBe(status.UNAUTHENTICATED);
  });
});
