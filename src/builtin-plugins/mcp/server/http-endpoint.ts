import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '@nexus/plugin-sdk';
import type { NexusMcpServerSettings } from '../config/index.js';
import { systemTimers, type TimerHandle, type Timers } from '../connections/index.js';
import { readJsonBody } from './json-body.js';
import { rebindingProblem } from './rebinding-guard.js';

/** The gateway's verdict on a request's credentials, given before MCP sees the request. */
export type AuthDecision = { readonly ok: true; readonly principal?: string } | { readonly ok: false; readonly status?: 401 | 403; readonly message: string };

export interface McpHttpEndpointOptions {
  /** A fresh MCP server for each new session. */
  readonly createServer: () => McpServer;
  /** Runs first, on every request (phase 2: the gateway's API key or JWT check). */
  readonly authorize: (request: IncomingMessage) => Promise<AuthDecision>;
  readonly settings: Pick<NexusMcpServerSettings, 'maxSessions' | 'sessionIdleTimeoutMs' | 'allowedOrigins' | 'allowedHosts'>;
  readonly logger: Logger;
  readonly timers?: Timers;
}

interface Session {
  readonly transport: StreamableHTTPServerTransport;
  readonly server: McpServer;
  readonly principal?: string;
  /** Requests in flight, open event streams included; idle only at 0. */
  active: number;
  idleTimer?: TimerHandle;
}

/**
 * Streamable HTTP for Nexus's MCP server, for a route that hands over Node's request and
 * response: stateful sessions (Mcp-Session-Id), each with its own SDK server and transport.
 * Before MCP sees a request: the Host and Origin checks (DNS rebinding) and the injected auth check. A
 * session is bound to the principal that opened it, and closed after `session_idle_timeout`
 * with no request in flight.
 */
export class McpHttpEndpoint {
  private readonly sessions = new Map<string, Session>();
  private readonly timers: Timers;
  private closed = false;

  constructor(private readonly options: McpHttpEndpointOptions) {
    this.timers = options.timers ?? systemTimers;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  async handle(req: IncomingMessage, res: ServerResponse, parsedBody?: unknown): Promise<void> {
    if (this.closed) return reply(res, 503, -32000, 'the MCP endpoint is shutting down');
    const rebinding = rebindingProblem(req, this.options.settings);
    if (rebinding) return reply(res, 403, -32000, rebinding);
    const decision = await this.options.authorize(req);
    if (!decision.ok) {
      const status = decision.status ?? 401;
      return reply(res, status, -32001, decision.message, status === 401 ? { 'www-authenticate': 'Bearer realm="nexus"' } : {});
    }
    let body = parsedBody;
    if (body === undefined && req.method === 'POST') {
      const read = await readJsonBody(req);
      if (!read.ok) return reply(res, read.status, read.status === 413 ? -32600 : -32700, read.message);
      body = read.value;
    }
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = this.sessions.get(sessionId);
      if (!session) return reply(res, 404, -32001, 'Session not found: it expired or the server restarted; send initialize to start a new one');
      if (session.principal !== decision.principal) return reply(res, 403, -32001, 'this MCP session belongs to another caller');
      return this.serve(session, req, res, body);
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) {
      return reply(res, 400, -32000, 'Bad Request: no Mcp-Session-Id header; start with an initialize request');
    }
    if (this.sessions.size >= this.options.settings.maxSessions) {
      return reply(res, 503, -32000, `too many MCP sessions are open (mcp.server.max_sessions is ${this.options.settings.maxSessions}); try again later`, { 'retry-after': '30' });
    }
    return this.open(req, res, body, decision.principal);
  }

  /** Closes every session. Later requests are answered 503. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.sessions.values()].map((session) => this.end(session)));
  }

  private async open(req: IncomingMessage, res: ServerResponse, body: unknown, principal: string | undefined): Promise<void> {
    const server = this.options.createServer();
    let session: Session | undefined;
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        session = { transport, server, principal, active: 0 };
        this.sessions.set(id, session);
        this.options.logger.debug(`MCP session ${id} opened`);
      },
    });
    transport.onclose = () => {
      const id = transport.sessionId;
      if (id !== undefined && this.sessions.get(id)?.transport === transport) {
        const gone = this.sessions.get(id)!;
        if (gone.idleTimer) this.timers.clearTimeout(gone.idleTimer);
        this.sessions.delete(id);
        this.options.logger.debug(`MCP session ${id} closed`);
      }
    };
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
    if (session) this.track(session, res);
    // An initialize that failed leaves no session behind: release its server now.
    else await server.close();
  }

  private async serve(session: Session, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    this.track(session, res);
    await session.transport.handleRequest(req, res, body);
  }

  private track(session: Session, res: ServerResponse): void {
    session.active++;
    if (session.idleTimer) this.timers.clearTimeout(session.idleTimer);
    session.idleTimer = undefined;
    const done = () => {
      session.active--;
      if (session.active === 0 && !this.closed) {
        session.idleTimer = this.timers.setTimeout(() => void this.end(session), this.options.settings.sessionIdleTimeoutMs);
      }
    };
    if (res.writableFinished || res.destroyed) done();
    else res.once('close', done);
  }

  private async end(session: Session): Promise<void> {
    if (session.idleTimer) this.timers.clearTimeout(session.idleTimer);
    await session.transport.close().catch(() => undefined);
    await session.server.close().catch(() => undefined);
  }
}

function reply(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}
