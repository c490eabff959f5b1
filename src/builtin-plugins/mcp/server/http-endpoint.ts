import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from '@nexus/plugin-sdk';
import type { NexusMcpServerSettings } from '../config/index.js';
import type { Timers } from '../connections/index.js';
import { isLoopbackAddress, rebindingProblem } from './rebinding-guard.js';
import { McpRouteEndpoint, type RouteAnswer } from './route-endpoint.js';

/** The gateway's verdict on a request's credentials, given before MCP sees the request. */
export type AuthDecision =
  | { readonly ok: true; readonly principal?: string; readonly role?: 'admin' | 'user' }
  | { readonly ok: false; readonly status?: 401 | 403; readonly message: string };

export interface McpHttpEndpointOptions {
  /** A fresh MCP server for each new session. */
  readonly createServer: () => McpServer;
  /** Runs first, on every request, GET streams included (the gateway's API key or JWT check). */
  readonly authorize: (request: IncomingMessage) => Promise<AuthDecision>;
  readonly settings: Pick<NexusMcpServerSettings, 'maxSessions' | 'sessionIdleTimeoutMs' | 'allowedOrigins' | 'allowedHosts'>;
  readonly logger: Logger;
  readonly timers?: Timers;
}

/** Larger than any sane JSON-RPC message; a bigger body is refused, not buffered. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Who a request without a principal is (the local operator, as over stdio). */
const OPERATOR = 'operator';

/**
 * Nexus's MCP server for a raw Node HTTP server (the conformance script, tests): the DNS-rebinding
 * check, then the injected credential check, then the body read within `MAX_BODY_BYTES`; the rest
 * (sessions bound to their caller, event streams, idle closing) is `McpRouteEndpoint`, the very
 * code `/mcp` runs behind the HTTP plugin.
 */
export class McpHttpEndpoint {
  private readonly route: McpRouteEndpoint;

  constructor(private readonly options: McpHttpEndpointOptions) {
    this.route = new McpRouteEndpoint(options);
  }

  get sessionCount(): number {
    return this.route.sessionCount;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rebinding = rebindingProblem(req, this.options.settings);
    if (rebinding) return reply(res, 403, -32000, rebinding);
    const decision = await this.options.authorize(req);
    if (!decision.ok) {
      const status = decision.status ?? 401;
      return reply(res, status, -32001, decision.message, status === 401 ? { 'www-authenticate': 'Bearer realm="nexus"' } : {});
    }
    const body = await readBody(req);
    if (!body) return reply(res, 413, -32600, `the request body is over ${MAX_BODY_BYTES} bytes`);
    const answer = await this.route.handle({
      method: req.method ?? 'GET',
      headers: req.headers,
      body,
      caller: { userId: decision.principal ?? OPERATOR, role: decision.role ?? 'admin' },
      loopback: isLoopbackAddress(req.socket.localAddress),
    });
    send(res, answer);
  }

  /** Closes every session. Later requests are answered 503. */
  close(): Promise<void> {
    return this.route.close();
  }
}

/** The body, or undefined past the limit (the rest is not buffered). */
async function readBody(req: IncomingMessage): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, answer: RouteAnswer): void {
  res.writeHead(answer.status, answer.headers);
  if (!('stream' in answer)) return void res.end(answer.body);
  // An event stream may say nothing for a while: the client needs its headers now.
  res.flushHeaders();
  const body = Readable.fromWeb(answer.stream as NodeReadableStream<Uint8Array>);
  // The client left: destroying the readable cancels the stream, and with it the SDK's.
  res.once('close', () => body.destroy());
  body.pipe(res);
}

function reply(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
