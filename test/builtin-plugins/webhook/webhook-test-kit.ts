import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  ChannelInbounds,
  ChannelLifecycles,
  DoctorChecks,
  HttpServerToken,
  type Clock,
  type DoctorFinding,
  type InboundMessage,
} from '@nexus/plugin-sdk';
import { createTestKernel, type TestKernel } from '../../../src/kernel/testing/index.js';
import { gatewaySettingsPlugin, httpPluginDir, onCleanup, tempDir, webhookPluginDir } from '../http/http-test-kit.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
/** The storage settings plugin and the occupants of its slot: memory, SQLite (database.path) or PostgreSQL. */
export const storagePluginDirs = ['storage', 'storage-memory', 'storage-sqlite', 'storage-postgres'].map((id) => join(builtins, id));

export const SECRET = 'a-webhook-secret-of-at-least-32-bytes!!';

/** The signature an integrator computes, written out here independently of the plugin's code. */
export function signBody(secret: string, timestamp: string, body: string | Uint8Array): string {
  // Raw bytes are signed as they are, so a body that is not valid UTF-8 can be signed too.
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  return `sha256=${createHmac('sha256', secret).update(Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), bytes])).digest('hex')}`;
}

export function nowSeconds(offset = 0): string {
  return String(Math.floor(Date.now() / 1000) + offset);
}

export interface WebhookSetup {
  readonly kernel: TestKernel;
  /** Base URL of the HTTP server. */
  readonly url: string;
  readonly received: InboundMessage[];
  readonly deadLetterFile: string;
}

/**
 * A kernel with the webhook channel, the HTTP server on a free loopback port and (unless
 * `start` is false) the channel started with a handler collecting messages, as the gateway does.
 */
export async function startWebhook(
  webhook: Record<string, unknown>,
  options: { readonly start?: boolean; readonly database?: Record<string, unknown> | false; readonly clock?: Clock } = {},
): Promise<WebhookSetup> {
  const deadLetterFile = join(tempDir('nexus-webhook-'), 'dead-letters.jsonl');
  const storage = options.database === false ? {} : { database: options.database ?? { url: 'memory' } };
  const kernel = createTestKernel({
    plugin: webhookPluginDir,
    with: [httpPluginDir, gatewaySettingsPlugin(), ...(options.database === false ? [] : storagePluginDirs)],
    settings: { server: { host: '127.0.0.1', http_port: 0 }, channels: { webhook: { dead_letter_file: deadLetterFile, ...webhook } }, ...storage },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  onCleanup(() => kernel.stop());
  const address = (await kernel.services.get(HttpServerToken)).address();
  if (!address) throw new Error('the HTTP server did not start');
  const received: InboundMessage[] = [];
  if (options.start !== false) {
    (await kernel.contributions.get(ChannelInbounds, 'webhook')).onMessage(async (message) => void received.push(message));
    await (await kernel.contributions.get(ChannelLifecycles, 'webhook')).start(AbortSignal.timeout(10_000));
  }
  return { kernel, url: address.url, received, deadLetterFile };
}

/** POSTs `body` to an account, signed with `secret` at `timestamp` unless headers say otherwise. */
export async function postSigned(
  base: string,
  account: string,
  body: string | Uint8Array,
  options: { readonly secret?: string; readonly timestamp?: string; readonly headers?: Record<string, string> } = {},
): Promise<{ status: number; body: { error?: { code: string; message: string }; accepted?: boolean; message_id?: string; duplicate?: boolean; first_received_at?: string } }> {
  const timestamp = options.timestamp ?? nowSeconds();
  const response = await fetch(`${base}/channels/webhook/${account}`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-nexus-timestamp': timestamp,
      'x-nexus-signature': signBody(options.secret ?? SECRET, timestamp, body),
      ...options.headers,
    },
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json()) as never };
}

export interface ReceivedCallback {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Whether the receiver found the signature valid for its secret and the timestamp fresh. */
  readonly verified: boolean;
  /** What the receiver answered. */
  readonly status: number;
}

/**
 * An integrator's callback receiver on 127.0.0.1: checks each delivery's signature with its own
 * copy of the secret, and answers with the next status in `statuses` (200 once they run out).
 */
export async function startReceiver(
  statuses: number[] = [],
  port = 0,
): Promise<{ url: string; port: number; calls: ReceivedCallback[]; server: Server; respondNext(status: number, headers?: Record<string, string>): void }> {
  const calls: ReceivedCallback[] = [];
  const answers: { status: number; headers: Record<string, string> }[] = statuses.map((status) => ({ status, headers: {} }));
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(request.headers['x-nexus-timestamp']);
      const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
      const verified = fresh && request.headers['x-nexus-signature'] === signBody(SECRET, timestamp, body);
      const answer = request.method === 'POST' ? (answers.shift() ?? { status: 200, headers: {} }) : { status: 405, headers: {} };
      if (request.method === 'POST') calls.push({ headers: request.headers, body, verified, status: answer.status });
      response.writeHead(answer.status, answer.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  onCleanup(() => new Promise((resolve) => server.close(resolve)));
  const bound = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${bound}/hooks/nexus`, port: bound, calls, server, respondNext: (status, headers = {}) => void answers.push({ status, headers }) };
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function runCheck(kernel: TestKernel, name: string, probe: boolean): Promise<readonly DoctorFinding[]> {
  return (await kernel.contributions.get(DoctorChecks, name)).run({ signal: AbortSignal.timeout(10_000), probe });
}

export const message = (fields: Record<string, unknown> = {}) => JSON.stringify({ conversation_id: 'conv-1', sender_id: 'user-7', content: 'hello there', ...fields });
