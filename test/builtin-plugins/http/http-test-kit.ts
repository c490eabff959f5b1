import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { HttpServerToken, type Token } from '@nexus/plugin-sdk';
import { createTestKernel, type TestKernel } from '../../../src/kernel/testing/index.js';

export const httpPluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/http');
export const metricsPluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/metrics');
export const webhookPluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/webhook');
const gatewayManifest = join(import.meta.dirname, '../../../src/builtin-plugins/gateway/nexus.plugin.json');

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

export function tempDir(prefix = 'nexus-http-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Runs after the test, last registered first (servers close before their folders go). */
export function onCleanup(cleanup: () => unknown): void {
  cleanups.push(cleanup);
}

/**
 * The gateway's `server` and `auth` sections, with the gateway's own schemas, as a declarative
 * plugin: the settings the HTTP plugin reads, without loading the gateway's code (its credential
 * verifier is faked per test where a test needs one).
 */
export function gatewaySettingsPlugin(): string {
  const manifest = JSON.parse(readFileSync(gatewayManifest, 'utf8')) as { contributes: { configSections: unknown[] } };
  const dir = join(tempDir('nexus-gateway-settings-'), 'gateway');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'nexus.plugin.json'),
    JSON.stringify({ id: 'gateway', name: 'gateway settings', version: '0.1.0', contributes: { configSections: manifest.contributes.configSections } }),
  );
  return dir;
}

export interface FixtureRoute {
  readonly prefix: string;
  readonly auth: 'public' | 'token' | 'signature';
  /** The body of `async handle(request) { … }`, TypeScript. `HttpError` is in scope. */
  readonly handle: string;
  /** Manifest facts the route object restates, as older plugins did (a difference is a contract error). */
  readonly objectStates?: { readonly prefix?: string; readonly auth?: string };
}

/** A plugin contributing the given routes, its entry compiled from TypeScript like a built-in's. */
export function routesPlugin(id: string, routes: readonly FixtureRoute[]): string {
  const dir = join(tempDir('nexus-routes-'), id);
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'nexus.plugin.json'),
    JSON.stringify({ id, name: id, version: '1.0.0', main: './index.ts', contributes: { httpRoutes: routes.map(({ prefix, auth }) => ({ prefix, auth })) } }),
  );
  const bindings = routes
    .map((r) => `ctx.contribute(HttpRoutes, ${JSON.stringify(r.prefix)}).toConstantValue({ ...${JSON.stringify(r.objectStates ?? {})}, async handle(request: HttpRequest): Promise<HttpResponse> { ${r.handle} } });`)
    .join('\n    ');
  writeFileSync(
    join(dir, 'index.ts'),
    `import { definePlugin, HttpError, HttpRoutes, type HttpRequest, type HttpResponse } from '@nexus/plugin-sdk';
void HttpError;
export default definePlugin({
  register(ctx) {
    ${bindings}
  },
});
`,
  );
  return dir;
}

export interface HttpKernelOptions {
  readonly config?: unknown;
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly with?: readonly string[];
  readonly services?: readonly (readonly [Token<unknown>, unknown])[];
}

/** A test kernel with the HTTP plugin on a free loopback port, started; plus its base URL. */
export async function startHttp(options: HttpKernelOptions = {}): Promise<{ kernel: TestKernel; url: string }> {
  const { server, ...settings } = options.settings ?? {};
  const kernel = createTestKernel({
    plugin: httpPluginDir,
    config: options.config,
    with: [gatewaySettingsPlugin(), ...(options.with ?? [])],
    settings: { server: { host: '127.0.0.1', http_port: 0, ...(server as object | undefined) }, ...settings },
    services: options.services,
  });
  onCleanup(() => kernel.stop());
  await kernel.activate('onStartup');
  const address = (await kernel.services.get(HttpServerToken)).address();
  if (!address) throw new Error('the HTTP server did not report an address');
  return { kernel, url: address.url };
}

export interface JsonReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
  readonly text: string;
}

export async function call(url: string, init: RequestInit = {}): Promise<JsonReply> {
  const response = await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(10_000) });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}
