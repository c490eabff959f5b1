import { HttpError, type HttpRequest, type HttpResponse, type HttpRoute, type Logger } from '@nexus/plugin-sdk';
import type { McpSettings, NexusMcpServerSettings } from '../config/index.js';
import type { ServerStatus } from '../connections/index.js';
import { isLoopbackAddress, McpRouteEndpoint } from '../server/index.js';
import type { McpEngine } from './mcp-engine.js';
import { nexusServerMaker, type NexusServerDeps } from './nexus-server.js';

/** What GET /mcp/status answers (and `nexus mcp status` prints). */
export interface McpStatusReport {
  readonly servers: readonly ServerStatus[];
  readonly nexusServer: { readonly enabled: boolean; readonly sessions: number };
}

/**
 * `/mcp` on the HTTP plugin, `auth: token` in the manifest, so the gateway checked the caller
 * (an API key or JWT whenever credentials exist) before this runs:
 * - `/mcp`: Nexus's MCP server (POSTs answered with event streams, the GET stream, DELETE),
 *   answered 404 unless `mcp.server.enabled`;
 * - `/mcp/status`: the bridge's servers, for admins (`nexus mcp status`).
 */
export class McpRoute implements HttpRoute {
  private endpoint: McpRouteEndpoint | undefined;

  constructor(
    private readonly runtime: { readonly settings: McpSettings; readonly engine: McpEngine },
    private readonly deps: Omit<NexusServerDeps, 'settings'>,
    private readonly logger: Logger,
  ) {}

  async handle(request: HttpRequest): Promise<HttpResponse> {
    const principal = request.principal;
    if (!principal) throw new HttpError(401, 'unauthenticated', 'an API key or JWT is required');
    if (request.subpath === '/status') return this.status(request);
    if (request.subpath !== '') throw new HttpError(404, 'not_found', `no MCP route serves ${request.path}; the MCP endpoint is /mcp and the bridge's status is /mcp/status`);
    const settings = this.runtime.settings.server;
    if (!settings.enabled) throw new HttpError(404, 'mcp_server_off', "Nexus's MCP server is off; set mcp.server.enabled: true to serve it at /mcp");
    const answer = await this.endpointFor(settings).handle({
      method: request.method,
      headers: request.headers,
      body: request.body,
      caller: { userId: principal.userId, role: principal.role },
      loopback: isLoopbackAddress(request.remoteAddress),
    });
    const headers = { 'cache-control': 'no-store', ...answer.headers };
    return 'stream' in answer ? { status: answer.status, headers, stream: answer.stream } : { status: answer.status, headers, body: answer.body };
  }

  /** Ends every MCP session (the plugin stops). */
  async close(): Promise<void> {
    await this.endpoint?.close();
  }

  private status(request: HttpRequest): HttpResponse {
    if (request.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'use GET /mcp/status', { allow: 'GET' });
    if (request.principal?.role !== 'admin') throw new HttpError(403, 'permission_denied', 'the MCP status is for admins; use an admin API key or a token made with nexus auth token --admin');
    const report: McpStatusReport = { servers: this.runtime.engine.source.status(), nexusServer: { enabled: this.runtime.settings.server.enabled, sessions: this.endpoint?.sessionCount ?? 0 } };
    return { status: 200, headers: { 'cache-control': 'no-store' }, json: report };
  }

  private endpointFor(settings: NexusMcpServerSettings): McpRouteEndpoint {
    this.endpoint ??= new McpRouteEndpoint({ createServer: nexusServerMaker({ ...this.deps, settings }), settings, logger: this.logger });
    return this.endpoint;
  }
}
