import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '@nexus/plugin-sdk';
import type { NexusMcpServerSettings } from '../config/index.js';
import { systemTimers, type TimerHandle, type Timers } from '../connections/index.js';
import { callerAuthInfo, type McpCaller } from './nexus-mcp-server.js';
import { rebindingProblemOf } from './rebinding-guard.js';

/** One request as the HTTP plugin hands it to a route: the body read, the caller already checked. */
export interface RouteCall {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Uint8Array;
  /** The gateway's verdict on the credentials (the route is `auth: token`). */
  readonly caller: McpCaller;
  /** Whether the server listens on a loopback address (the Host check applies there). */
  readonly loopback: boolean;
}

export interface RouteAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface McpRouteEndpointOptions {
  readonly createServer: () => McpServer;
  readonly settings: Pick<NexusMcpServerSettings, 'maxSessions' | 'sessionIdleTimeoutMs' | 'allowedOrigins' | 'allowedHosts'>;
  readonly logger: Logger;
  readonly timers?: Timers;
}

interface Session {
  readonly transport: WebStandardStreamableHTTPServerTransport;
  readonly server: McpServer;
  readonly userId: string;
  idleTimer?: TimerHandle;
}

/**
 * Streamable HTTP for `/mcp` on the HTTP plugin, whose routes answer with a whole body: the SDK's
 * web-standard transport in JSON-response mode (every POST is answered with its JSON-RPC
 * response, never an event stream), so a standalone GET stream is refused with 405, as the
 * spec allows. The gateway checked the credentials before the route ran; here each session is
 * bound to the user who opened it, DNS-rebinding is refused, and idle sessions are closed.
 * `McpHttpEndpoint` is the same for a raw Node server (streams included).
 */
export class McpRouteEndpoint {
  private readonly sessions = new Map<string, Session>();
  private readonly timers: Timers;
  private closed = false;

  constructor(private readonly options: McpRouteEndpointOptions) {
    this.timers = options.timers ?? systemTimers;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  async handle(call: RouteCall): Promise<RouteAnswer> {
    if (this.closed) return rpcError(503, -32000, 'the MCP endpoint is shutting down');
    const rebinding = rebindingProblemOf(call.headers, call.loopback, this.options.settings);
    if (rebinding) return rpcError(403, -32000, rebinding);
    if (call.method === 'GET') return rpcError(405, -32000, 'this server answers every request in its POST response and offers no GET event stream', { allow: 'POST, DELETE' });
    let body: unknown;
    if (call.method === 'POST') {
      try {
        body = JSON.parse(Buffer.from(call.body).toString('utf8')) as unknown;
      } catch (error) {
        return rpcError(400, -32700, `Parse error: the body is not JSON (${(error as Error).message})`);
      }
    }
    const sessionId = header(call.headers, 'mcp-session-id');
    if (sessionId !== undefined) {
      const session = this.sessions.get(sessionId);
      if (!session) return rpcError(404, -32001, 'Session not found: it expired or the server restarted; send initialize to start a new one');
      if (session.userId !== call.caller.userId) return rpcError(403, -32001, 'this MCP session belongs to another caller');
      return this.serve(session, call, body);
    }
    if (call.method !== 'POST' || !isInitializeRequest(body)) return rpcError(400, -32000, 'Bad Request: no Mcp-Session-Id header; start with an initialize request');
    if (this.sessions.size >= this.options.settings.maxSessions) {
      return rpcError(503, -32000, `too many MCP sessions are open (mcp.server.max_sessions is ${this.options.settings.maxSessions}); try again later`, { 'retry-after': '30' });
    }
    return this.open(call, body);
  }

  /** Closes every session; later requests are answered 503. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.sessions.values()].map((session) => this.end(session)));
  }

  private async open(call: RouteCall, body: unknown): Promise<RouteAnswer> {
    const server = this.options.createServer();
    let session: Session | undefined;
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: true,
      onsessioninitialized: (id) => {
        session = { transport, server, userId: call.caller.userId };
        this.sessions.set(id, session);
        this.options.logger.debug(`MCP session ${id} opened`, { user: call.caller.userId });
      },
    });
    transport.onclose = () => this.forget(transport);
    await server.connect(transport);
    const answer = await this.run(transport, call, body);
    if (session) this.idle(session);
    // An initialize that failed leaves no session behind: release its server now.
    else await server.close().catch(() => undefined);
    return answer;
  }

  private async serve(session: Session, call: RouteCall, body: unknown): Promise<RouteAnswer> {
    if (session.idleTimer) this.timers.clearTimeout(session.idleTimer);
    session.idleTimer = undefined;
    try {
      return await this.run(session.transport, call, body);
    } finally {
      if (this.sessions.has(session.transport.sessionId ?? '')) this.idle(session);
    }
  }

  private async run(transport: WebStandardStreamableHTTPServerTransport, call: RouteCall, body: unknown): Promise<RouteAnswer> {
    const headers = new Headers();
    for (const [name, value] of Object.entries(call.headers)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
    }
    const request = new Request('http://localhost/mcp', { method: call.method, headers, body: call.method === 'POST' ? Buffer.from(call.body) : undefined });
    const response = await transport.handleRequest(request, { parsedBody: body, authInfo: callerAuthInfo(call.caller) });
    const answerHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      answerHeaders[name] = value;
    });
    return { status: response.status, headers: answerHeaders, body: await response.text() };
  }

  private idle(session: Session): void {
    if (this.closed) return;
    if (session.idleTimer) this.timers.clearTimeout(session.idleTimer);
    session.idleTimer = this.timers.setTimeout(() => void this.end(session), this.options.settings.sessionIdleTimeoutMs);
  }

  private forget(transport: WebStandardStreamableHTTPServerTransport): void {
    const id = transport.sessionId;
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (!session || session.transport !== transport) return;
    if (session.idleTimer) this.timers.clearTimeout(session.idleTimer);
    this.sessions.delete(id!);
    this.options.logger.debug(`MCP session ${id} closed`);
  }

  private async end(session: Session): Promise<void> {
    if (session.idleTimer) this.timers.clearTimeout(session.idleTimer);
    await session.transport.close().catch(() => undefined);
    await session.server.close().catch(() => undefined);
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function rpcError(status: number, code: number, message: string, headers: Record<string, string> = {}): RouteAnswer {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }) };
}
