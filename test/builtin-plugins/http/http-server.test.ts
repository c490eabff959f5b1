import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuthError, CredentialVerifierToken, type CredentialVerifier, type PresentedCredentials } from '@nexus/plugin-sdk';
import { createTestKernel, verifyPluginContract } from '../../../src/kernel/testing/index.js';
import { call, gatewaySettingsPlugin, httpPluginDir, onCleanup, routesPlugin, startHttp, tempDir } from './http-test-kit.js';

/** A non-loopback address of this machine, to call the server as a remote client would. */
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

/** A verifier shaped like the gateway's: `Bearer good` is alice, `Bearer reader` may not write. */
const verifier: CredentialVerifier = {
  async required() {
    return true;
  },
  async verify(credentials: PresentedCredentials) {
    if (credentials.authorization === 'Bearer good') return { userId: 'alice', via: 'jwt', role: 'user' };
    if (credentials.authorization === 'Bearer reader') throw new AuthError('permission_denied', 'this key may only read');
    throw new AuthError('unauthenticated', 'a valid bearer token or x-api-key is required');
  },
};

const echoRoutes = () =>
  routesPlugin('echo-routes', [
    { prefix: '/test', auth: 'public', handle: `return { status: 200, json: { route: '/test', subpath: request.subpath, method: request.method, body: new TextDecoder().decode(request.body) } };` },
    { prefix: '/test/deep', auth: 'public', handle: `return { status: 200, json: { route: '/test/deep', subpath: request.subpath, query: request.query.get('q') } };` },
    { prefix: '/boom', auth: 'public', handle: `throw new Error('database password is hunter2 at /srv/secret.ts:12');` },
    { prefix: '/teapot', auth: 'public', handle: `throw new HttpError(418, 'teapot', 'short and stout', { 'x-brew': 'earl grey' });` },
    { prefix: '/text', auth: 'public', handle: `return { status: 201, headers: { 'Content-Type': 'text/plain' }, body: 'made' };` },
    { prefix: '/nothing', auth: 'public', handle: `return undefined as never;` },
    { prefix: '/badheader', auth: 'public', handle: `return { status: 200, headers: { 'x-bad': 'line\\nbreak' }, body: 'x' };` },
    { prefix: '/circular', auth: 'public', handle: `const a: Record<string, unknown> = {}; a.self = a; return { status: 200, json: a };` },
    { prefix: '/private', auth: 'token', handle: `return { status: 200, json: { user: request.principal?.userId } };` },
  ]);

describe('http plugin: the server', () => {
  it('honours its manifest: provides nexus.http.server and binds /healthz and /readyz', async () => {
    const report = await verifyPluginContract({ plugin: httpPluginDir, with: [gatewaySettingsPlugin()], settings: { server: { http_port: 0 } } });
    expect(report).toEqual({ pluginId: 'http', resolved: ['httpRoutes:/healthz', 'httpRoutes:/readyz'], problems: [] });
  });

  it('listens on server.host with a free port for http_port 0, and logs where', async () => {
    const { kernel, url } = await startHttp();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(kernel.logs.some((e) => e.msg === `http server listening on ${url}`)).toBe(true);
  });

  it('answers /healthz with 200 while it serves, to GET and HEAD only', async () => {
    const { url } = await startHttp();
    expect(await call(`${url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect((await call(`${url}/healthz`, { method: 'HEAD' })).status).toBe(200);
    const post = await call(`${url}/healthz`, { method: 'POST' });
    expect(post).toMatchObject({ status: 405, body: { error: { code: 'method_not_allowed' } } });
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('reports /readyz 503 until kernel.ready, 200 after, and 503 again from kernel.stopping', async () => {
    const { kernel, url } = await startHttp();
    expect(await call(`${url}/readyz`)).toMatchObject({ status: 503, body: { status: 'starting', error: { code: 'not_ready' } } });
    await kernel.hooks.emit('kernel.ready', { activePlugins: ['http'], durationMs: 5 });
    expect(await call(`${url}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready' } });
    await kernel.hooks.emit('kernel.stopping', { reason: 'test' });
    expect(await call(`${url}/readyz`)).toMatchObject({ status: 503, body: { status: 'draining', error: { code: 'not_ready', message: 'the server is shutting down' } } });
    // Liveness is unaffected: the process still serves.
    expect((await call(`${url}/healthz`)).status).toBe(200);
  });

  it('is ready at once when a reload restarts it, since startup finished long before', async () => {
    const { kernel, url } = await startHttp();
    await kernel.hooks.emit('plugin.activated', { pluginId: 'other', event: 'reload', durationMs: 1 });
    expect((await call(`${url}/readyz`)).status).toBe(503);
    await kernel.hooks.emit('plugin.activated', { pluginId: 'http', event: 'reload', durationMs: 1 });
    expect(await call(`${url}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready' } });
  });

  it('answers an unknown path 404 in JSON, and matches prefixes only on segment boundaries', async () => {
    const { url } = await startHttp({ with: [echoRoutes()] });
    expect(await call(`${url}/nowhere`)).toMatchObject({ status: 404, body: { error: { code: 'not_found', message: 'no route serves /nowhere' } } });
    expect((await call(`${url}/healthzz`)).status).toBe(404);
    expect((await call(`${url}/testing`)).status).toBe(404);
    expect((await call(`${url}/healthz/extra`)).status).toBe(404);
    expect((await call(`${url}/`)).status).toBe(404);
  });

  it('dispatches to the longest declared prefix, passing the subpath and query', async () => {
    const { url } = await startHttp({ with: [echoRoutes()] });
    expect((await call(`${url}/test/a/b`)).body).toMatchObject({ route: '/test', subpath: '/a/b' });
    expect((await call(`${url}/test`)).body).toMatchObject({ route: '/test', subpath: '' });
    expect((await call(`${url}/test/deep/x?q=1`)).body).toEqual({ route: '/test/deep', subpath: '/x', query: '1' });
    // Dot segments are resolved before matching, so they cannot climb out of a prefix.
    expect((await call(`${url}/test/deep/../x`)).body).toMatchObject({ route: '/test', subpath: '/x' });
    expect((await call(`${url}//test`)).status).toBe(404);
  });

  it('sends raw bodies with the route\'s own headers', async () => {
    const { url } = await startHttp({ with: [echoRoutes()] });
    const reply = await call(`${url}/text`, { method: 'POST' });
    expect(reply).toMatchObject({ status: 201, text: 'made' });
    expect(reply.headers.get('content-type')).toBe('text/plain');
  });

  it('answers a throwing route 500 in JSON without leaking its message, logs it, and keeps serving', async () => {
    const { kernel, url } = await startHttp({ with: [echoRoutes()] });
    const reply = await call(`${url}/boom`);
    expect(reply).toMatchObject({ status: 500, body: { error: { code: 'internal', message: 'the server failed to handle /boom; the server log has details' } } });
    expect(reply.text).not.toMatch(/hunter2|secret\.ts|at /);
    expect(kernel.logs.some((e) => e.level === 'error' && String(e.msg).includes('request failed'))).toBe(true);
    expect((await call(`${url}/healthz`)).status).toBe(200);
  });

  it('answers 500 in JSON when a route gives no valid response or one that cannot be sent', async () => {
    const { url } = await startHttp({ with: [echoRoutes()] });
    expect(await call(`${url}/nothing`)).toMatchObject({ status: 500, body: { error: { code: 'route_misconfigured' } } });
    expect(await call(`${url}/badheader`)).toMatchObject({ status: 500, body: { error: { code: 'internal' } } });
    expect(await call(`${url}/circular`)).toMatchObject({ status: 500, body: { error: { code: 'internal' } } });
    expect((await call(`${url}/healthz`)).status).toBe(200);
  });

  it('answers an HttpError with its status, code, message and headers', async () => {
    const { url } = await startHttp({ with: [echoRoutes()] });
    const reply = await call(`${url}/teapot`);
    expect(reply).toMatchObject({ status: 418, body: { error: { code: 'teapot', message: 'short and stout' } } });
    expect(reply.headers.get('x-brew')).toBe('earl grey');
  });

  it('reads bodies up to the limit and answers 413 past it, declared or chunked', async () => {
    const { url } = await startHttp({ with: [echoRoutes()], config: { max_body_bytes: 1024 } });
    expect((await call(`${url}/test`, { method: 'POST', body: 'x'.repeat(1024) })).body).toMatchObject({ body: 'x'.repeat(1024) });
    const declared = await call(`${url}/test`, { method: 'POST', body: 'x'.repeat(4096) });
    expect(declared).toMatchObject({ status: 413, body: { error: { code: 'body_too_large' } } });
    expect((declared.body as { error: { message: string } }).error.message).toContain('max_body_bytes');

    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${url}/test`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.write('y'.repeat(800));
      req.write('y'.repeat(800));
      req.end();
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ error: { code: 'body_too_large' } });
  });

  it('answers 408 when a request outlives the timeout, and tells the route to stop', async () => {
    const witness = join(tempDir(), 'aborted.txt');
    const slow = routesPlugin('slow-routes', [
      {
        prefix: '/slow',
        auth: 'public',
        handle: `await new Promise((resolve) => request.signal.addEventListener('abort', resolve));
          (await import('node:fs')).writeFileSync(${JSON.stringify(witness)}, String(request.signal.reason?.message));
          return { status: 200, json: {} };`,
      },
    ]);
    const { url } = await startHttp({ with: [slow], config: { request_timeout_ms: 300 } });
    const started = Date.now();
    const reply = await call(`${url}/slow`);
    expect(reply).toMatchObject({ status: 408, body: { error: { code: 'request_timeout', message: 'the request took longer than 300 ms' } } });
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect.poll(() => (existsSync(witness) ? readFileSync(witness, 'utf8') : undefined)).toBe('the request took longer than 300 ms');
    expect((await call(`${url}/healthz`)).status).toBe(200);
  });

  it('streams a route\'s ReadableStream as it comes, past the request deadline, and cancels it when the client leaves', async () => {
    const witness = join(tempDir(), 'cancelled.txt');
    const streaming = routesPlugin('stream-routes', [
      {
        prefix: '/ticks',
        auth: 'public',
        handle: `let timer: ReturnType<typeof setInterval> | undefined;
          let n = 0;
          const stream = new ReadableStream<string>({
            start(controller) {
              timer = setInterval(() => {
                n++;
                controller.enqueue('data: ' + n + '\\n\\n');
                if (n === 4) { clearInterval(timer); controller.close(); }
              }, 150);
            },
            cancel() { clearInterval(timer); },
          });
          return { status: 200, headers: { 'content-type': 'text/event-stream' }, stream };`,
      },
      {
        prefix: '/endless',
        auth: 'public',
        handle: `let timer: ReturnType<typeof setInterval> | undefined;
          const stream = new ReadableStream<string>({
            start(controller) {
              controller.enqueue('first\\n');
              timer = setInterval(() => controller.enqueue('more\\n'), 50);
            },
            cancel(reason) {
              clearInterval(timer);
              void import('node:fs').then((fs) => fs.writeFileSync(${JSON.stringify(witness)}, String((reason as Error)?.message)));
            },
          });
          return { status: 200, stream };`,
      },
    ]);
    const { url } = await startHttp({ with: [streaming], config: { request_timeout_ms: 300 } });

    const started = Date.now();
    const ticks = await fetch(`${url}/ticks`);
    expect(ticks.status).toBe(200);
    expect(ticks.headers.get('content-type')).toBe('text/event-stream');
    expect(ticks.headers.get('content-length')).toBeNull();
    const pieces: string[] = [];
    const decoder = new TextDecoder();
    for await (const chunk of ticks.body!) pieces.push(decoder.decode(chunk as Uint8Array));
    expect(pieces.join('')).toBe('data: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n');
    // It came in pieces, and went on well past the 300 ms deadline.
    expect(pieces.length).toBeGreaterThan(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);

    const leaving = new AbortController();
    const endless = await fetch(`${url}/endless`, { signal: leaving.signal });
    const reader = endless.body!.getReader();
    expect(decoder.decode((await reader.read()).value)).toContain('first');
    leaving.abort();
    await expect.poll(() => (existsSync(witness) ? readFileSync(witness, 'utf8') : undefined)).toBe('the client closed the connection');
    expect((await call(`${url}/healthz`)).status).toBe(200);
  });

  it('refuses token routes with 503 when no plugin provides a credential verifier (fails closed)', async () => {
    const { url } = await startHttp({ with: [echoRoutes()] });
    expect(await call(`${url}/private`, { headers: { authorization: 'Bearer good' } })).toMatchObject({
      status: 503,
      body: { error: { code: 'auth_unavailable' } },
    });
  });

  it('checks token routes with the credential verifier: 401 without, 403 when denied, the principal when good', async () => {
    const { url } = await startHttp({ with: [echoRoutes()], services: [[CredentialVerifierToken, verifier]] });
    const missing = await call(`${url}/private`);
    expect(missing).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated', message: 'a valid bearer token or x-api-key is required' } } });
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(await call(`${url}/private`, { headers: { authorization: 'Bearer reader' } })).toMatchObject({ status: 403, body: { error: { code: 'permission_denied' } } });
    expect(await call(`${url}/private`, { headers: { authorization: 'Bearer good' } })).toMatchObject({ status: 200, body: { user: 'alice' } });
    // Public routes never consult it.
    expect((await call(`${url}/test`)).status).toBe(200);
  });

  it.skipIf(!externalAddress)('serves anonymous callers on token routes from loopback only, unless auth.allow_unauthenticated', async () => {
    const anonymous: CredentialVerifier = { required: async () => false, verify: async () => ({ userId: 'anonymous', via: 'anonymous', role: 'admin' }) };
    const everywhere = { server: { host: '0.0.0.0' } };
    const { url } = await startHttp({ with: [echoRoutes()], settings: everywhere, services: [[CredentialVerifierToken, anonymous]] });
    const port = new URL(url).port;
    expect((await call(`http://127.0.0.1:${port}/private`)).status).toBe(200);
    const remote = await call(`http://${externalAddress}:${port}/private`);
    expect(remote).toMatchObject({ status: 403, body: { error: { code: 'permission_denied' } } });
    expect((remote.body as { error: { message: string } }).error.message).toContain('no credentials are configured, so this route answers callers on this machine only');
    // Routes that are not token routes are unaffected.
    expect((await call(`http://${externalAddress}:${port}/test`)).status).toBe(200);

    const trusted = await startHttp({ with: [echoRoutes()], settings: { ...everywhere, auth: { allow_unauthenticated: true } }, services: [[CredentialVerifierToken, anonymous]] });
    expect((await call(`http://${externalAddress}:${new URL(trusted.url).port}/private`)).status).toBe(200);
  });

  it('puts the health routes behind a credential when auth.public_health is false', async () => {
    const { url } = await startHttp({ settings: { auth: { public_health: false } }, services: [[CredentialVerifierToken, verifier]] });
    expect((await call(`${url}/healthz`)).status).toBe(401);
    expect((await call(`${url}/readyz`)).status).toBe(401);
    expect((await call(`${url}/healthz`, { headers: { authorization: 'Bearer good' } })).status).toBe(200);
  });

  it('answers 503 for a route whose plugin cannot load, and keeps serving the others', async () => {
    const broken = routesPlugin('broken-routes', [{ prefix: '/broken', auth: 'public', handle: 'return { status: 200 };' }]);
    writeFileSync(`${broken}/index.ts`, `throw new Error('cannot load');\n`);
    const { url } = await startHttp({ with: [broken] });
    expect(await call(`${url}/broken`)).toMatchObject({ status: 503, body: { error: { code: 'route_unavailable' } } });
    expect((await call(`${url}/healthz`)).status).toBe(200);
  });

  it('fails activation with a clear message when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    onCleanup(() => new Promise((resolve) => blocker.close(resolve)));
    const port = (blocker.address() as { port: number }).port;
    const kernel = createTestKernel({ plugin: httpPluginDir, with: [gatewaySettingsPlugin()], settings: { server: { host: '127.0.0.1', http_port: port } } });
    onCleanup(() => kernel.stop());
    await expect(kernel.activate('onStartup')).rejects.toThrow();
    const diagnostic = kernel.summary().diagnostics[0];
    expect(diagnostic?.message).toContain(`cannot listen on 127.0.0.1:${port}: the address is already in use; set server.http_port to a free port`);
  });

  it('lets a request in flight finish on shutdown, then stops listening', async () => {
    const slowish = routesPlugin('slowish-routes', [
      { prefix: '/wait', auth: 'public', handle: `await new Promise((resolve) => setTimeout(resolve, 300)); return { status: 200, json: { finished: true } };` },
    ]);
    const { kernel, url } = await startHttp({ with: [slowish] });
    const inFlight = call(`${url}/wait`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await kernel.stop();
    expect(await inFlight).toMatchObject({ status: 200, body: { finished: true } });
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
