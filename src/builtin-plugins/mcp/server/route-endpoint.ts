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

/** A whole JSON body, or an event stream (the SDK's SSE answer to a POST, or the GET stream). */
export type RouteAnswer =
  | { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: string }
  | { readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly stream: ReadableStream<Uint8Array> };

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
  /** Requests in flight, open event streams included; idle only at 0. */
  active: number;
  idleTimer?: TimerHandle;
}

/**
 * Streamable HTTP for `/mcp` on the HTTP plugin: the SDK's web-standard transport, answering a
 * POST that carries requests with an event stream (so progress and other messages about a
 * request reach the client while it runs, e.g. a long `send_message` turn), and offering the
 * GET stream for messages outside any request. The gateway checked the credentials of every
 * request, GET streams included, before the route ran; here each session is bound to the user
 * who opened it, DNS-rebinding is refused, and sessions idle (no request or stream open) for
 * `session_idle_timeout` are closed. `McpHttpEndpoint` puts it behind a raw Node server.
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
      onsessioninitialized: (id) => {
        session = { transport, server, userId: call.caller.userId, active: 0 };
        this.sessions.set(id, session);
        this.options.logger.debug(`MCP session ${id} opened`, { user: call.caller.userId });
      },
    });
    transport.onclose = () => this.forget(transport);
    await server.connect(transport);
    const answer = await this.run(transport, call, body);
    const opened = session as Session | undefined;
    if (opened) return this.tracked(opened, answer);
    // An initialize that failed leaves no session behind: release its server now.
    await server.close().catch(() => undefined);
    return answer;
  }

  private async serve(session: Session, call: RouteCall, body: unknown): Promise<RouteAnswer> {
    this.busy(session);
    try {
      return this.tracked(session, await this.run(session.transport, call, body));
    } finally {
      this.done(session);
    }
  }

  /** The session counts as busy until an event stream it answered with ends (closed or cancelled). */
  private tracked(session: Session, answer: RouteAnswer): RouteAnswer {
    if (!('stream' in answer)) {
      this.idle(session);
      return answer;
    }
    this.busy(session);
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    void answer.stream
      .pipeTo(writable)
      .catch(() => undefined)
      .finally(() => this.done(session));
    return { status: answer.status, headers: answer.headers, stream: readable };
  }

  private busy(session: Session): void {
    session.active++;
    if (session.idleTimer) this.timers.clearTimeout(session.idleTimer);
    session.idleTimer = undefined;
  }

  private done(session: Session): void {
    session.active--;
    this.idle(session);
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
    if (response.body && response.headers.get('content-type')?.startsWith('text/event-stream')) return { status: response.status, headers: answerHeaders, stream: response.body };
    return { status: response.status, headers: answerHeaders, body: await response.text() };
  }

  /** Arms the idle timer once nothing of the session is open; a closed session needs none. */
  private idle(session: Session): void {
    if (this.closed || session.active > 0 || !this.sessions.has(session.transport.sessionId ?? '')) return;
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
