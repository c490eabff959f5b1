import { join } from 'node:path';
import { expect } from 'vitest';
import { HttpServerToken, UserStoreToken, type Clock, type UserStore } from '@nexus/plugin-sdk';
import { createTestKernel, type TestKernel } from '../../../src/kernel/testing/index.js';
import { call, httpPluginDir, onCleanup, type JsonReply } from '../http/http-test-kit.js';
import { CLIENT, startFakeOAuthServer, type FakeOAuthServer } from './fake-oauth-server.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
export const oauthPluginDir = join(builtins, 'oauth');
const gatewayPluginDir = join(builtins, 'gateway');
const storageDirs = [join(builtins, 'storage'), join(builtins, 'storage-memory')];

export const JWT_SECRET = 'a-jwt-secret-of-at-least-32-characters!!';

export interface OAuthSetup {
  readonly kernel: TestKernel;
  /** Base URL of the HTTP server. */
  readonly url: string;
  readonly fake: FakeOAuthServer;
  users(): Promise<UserStore>;
}

export interface OAuthOptions {
  /** Which providers get credentials (default both). */
  readonly providers?: readonly ('google' | 'github')[];
  /** `auth` settings merged over the defaults; `jwt_secret: undefined` leaves the secret out. */
  readonly auth?: Record<string, unknown>;
  /** `plugins.entries.oauth.config` merged over endpoints pointing at the fake provider. */
  readonly config?: Record<string, unknown>;
  readonly clock?: Clock;
}

/**
 * A fake provider, and a kernel with the oauth plugin, the real HTTP server on a free loopback
 * port, the real gateway (token issuer and verifier) and in-memory storage.
 */
export async function startOAuth(options: OAuthOptions = {}): Promise<OAuthSetup> {
  const fake = await startFakeOAuthServer();
  const providers = options.providers ?? ['google', 'github'];
  const oauth = Object.fromEntries(providers.map((id) => [id, { client_id: CLIENT.id, client_secret: CLIENT.secret }]));
  const auth: Record<string, unknown> = { jwt_secret: JWT_SECRET, ...(providers.length > 0 ? { oauth } : {}), ...options.auth };
  for (const key of Object.keys(auth)) if (auth[key] === undefined) delete auth[key];
  const kernel = createTestKernel({
    plugin: oauthPluginDir,
    config: { endpoints: fake.endpoints, ...options.config },
    with: [httpPluginDir, gatewayPluginDir, ...storageDirs],
    settings: { server: { host: '127.0.0.1', http_port: 0, grpc_port: 0 }, database: { url: 'memory:' }, auth },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  onCleanup(() => kernel.stop());
  const address = (await kernel.services.get(HttpServerToken)).address();
  if (!address) throw new Error('the HTTP server did not start');
  return { kernel, url: address.url, fake, users: () => kernel.services.get(UserStoreToken) };
}

/** A browser's trip to the provider and back, stopping before the callback. */
export interface Consent {
  /** The 302 from /start. */
  readonly start: JsonReply;
  /** `name=value` of the state cookie, as the browser would send it back. */
  readonly cookie: string;
  /** The Set-Cookie header /start sent. */
  readonly setCookie: string;
  /** Where the provider sent the browser: the callback URL with code (or error) and state. */
  readonly callback: URL;
}

/** Follows /start to the fake consent page and back, like a browser, without calling the callback. */
export async function consent(url: string, provider: 'google' | 'github', query = ''): Promise<Consent> {
  const start = await call(`${url}/auth/oauth/${provider}/start${query}`, { redirect: 'manual' });
  expect(start.status, start.text).toBe(302);
  const setCookie = start.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  const atProvider = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  expect(atProvider.status).toBe(302);
  return { start, cookie, setCookie, callback: new URL(atProvider.headers.get('location')!) };
}

/** Calls the callback as the browser would, carrying `cookie` (pass '' for none). */
export function callback(target: URL | string, cookie: string): Promise<JsonReply> {
  return call(String(target), { redirect: 'manual', headers: cookie ? { cookie } : {} });
}

/** The whole flow: start, consent, callback. */
export async function signIn(url: string, provider: 'google' | 'github'): Promise<JsonReply> {
  const trip = await consent(url, provider);
  return callback(trip.callback, trip.cookie);
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.now()): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}
