import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { SteppingClock } from '@nexus/plugin-sdk/storage';
import { createTestKernel, type TestKernel } from '../../../src/kernel/testing/index.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
export const channelsDir = join(builtins, 'channels');
export const relayDir = join(import.meta.dirname, 'fixtures/relay-channel');
const storageDirs = [join(builtins, 'storage'), join(builtins, 'storage-memory')];

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** What the fake platform was asked. */
export interface PlatformCall {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

/**
 * The relay fixture's platform on 127.0.0.1: `GET /me` answers for `Bearer good-token` (with the
 * chat:write scope) and `Bearer no-scope` (without), 401 for anything else; `POST /send` returns
 * a message id; `POST /logout` answers 204. Every call is recorded.
 */
export async function fakePlatform(): Promise<{ readonly url: string; readonly calls: PlatformCall[] }> {
  const calls: PlatformCall[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const authorization = request.headers.authorization;
      calls.push({ method: request.method ?? '', path: request.url ?? '', authorization, body });
      const json = (status: number, value: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (authorization !== 'Bearer good-token' && authorization !== 'Bearer no-scope') return json(401, { error: 'invalid_auth' });
      if (request.method === 'GET' && request.url === '/me') return json(200, { name: 'relaybot', scopes: authorization === 'Bearer good-token' ? ['chat:write'] : [] });
      if (request.method === 'POST' && request.url === '/send') return json(200, { id: `m-${calls.filter((c) => c.path === '/send').length}` });
      if (request.method === 'POST' && request.url === '/logout') return response.writeHead(204).end();
      return json(404, { error: 'not_found' });
    });
  });
  return { url: await listen(server), calls };
}

/** A local HTTP server answering `handler`, closed after the test. */
export async function httpServer(handler: (request: IncomingMessage) => { readonly status: number; readonly json: unknown }): Promise<string> {
  const server = createServer((request, response) => {
    const { status, json } = handler(request);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
  });
  return listen(server);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => resolve(body));
  });
}

/** The channels plugin with in-memory storage and the relay channel, accounts pointed at `platform`. */
export function channelsKernel(options: { readonly platform: string; readonly accounts?: Record<string, Record<string, unknown>>; readonly configPath?: string }): { readonly kernel: TestKernel; readonly clock: SteppingClock } {
  const clock = new SteppingClock();
  const accounts = options.accounts ?? { main: { bot_token: 'good-token', api_base_url: options.platform } };
  const kernel = createTestKernel({
    plugin: channelsDir,
    with: [...storageDirs, relayDir],
    settings: { database: { url: 'memory:' }, channels: { relay: { accounts } } },
    clock,
    ...(options.configPath ? { configPath: options.configPath } : {}),
  });
  cleanups.push(() => kernel.stop());
  return { kernel, clock };
}
