import { CliUsageError, gatewayPidFile, readRunningGateway, TokenIssuerToken, type CliCommand, type CliCommandContext, type ConfigAccess, type ContributionRegistry, type Logger, type ServiceRegistry } from '@nexus/plugin-sdk';
import { toToolResult } from '../bridge/index.js';
import { displayUrl, type McpServerSettings, type McpSettings } from '../config/index.js';
import { ConnectionManager, isMcpBridgeError } from '../connections/index.js';
import { serveOverStdio } from '../server/index.js';
import { NEXUS_CLIENT_INFO } from './mcp-engine.js';
import type { McpStatusReport } from './mcp-route.js';
import { nexusServerMaker } from './nexus-server.js';
import { describeState, probeServers } from './probe.js';

export interface McpCommandDeps {
  readonly settings: McpSettings;
  readonly config: ConfigAccess;
  readonly contributions: ContributionRegistry;
  readonly services: ServiceRegistry;
  readonly logger: Logger;
  readonly env?: NodeJS.ProcessEnv;
  /** For `serve --stdio`; the process's own by default. */
  readonly stdio?: { readonly stdin: NodeJS.ReadableStream; readonly stdout: NodeJS.WritableStream };
}

/**
 * `nexus mcp list | status | tools [server] | call <server> <tool> | serve --stdio`. `tools` and
 * `call` connect from this process; `status` asks the running gateway (GET /mcp/status).
 */
export class McpCommand implements CliCommand {
  readonly name = 'mcp';

  constructor(private readonly deps: McpCommandDeps) {}

  async run(ctx: CliCommandContext): Promise<number> {
    for (const problem of this.deps.settings.problems.filter((p) => p.level === 'error')) ctx.stderr(`nexus mcp: ${problem.source?.pointer ?? '/mcp'}: ${problem.message}${problem.hint ? ` (${problem.hint})` : ''}\n`);
    switch (ctx.subcommand) {
      case 'list':
        return this.list(ctx);
      case 'status':
        return this.status(ctx);
      case 'tools':
        return this.tools(ctx);
      case 'call':
        return this.call(ctx);
      case 'serve':
        return this.serve(ctx);
      default:
        throw new CliUsageError(`unknown sub-command "${ctx.subcommand}"`);
    }
  }

  private list(ctx: CliCommandContext): number {
    const rows = this.deps.settings.servers.map((server) => ({ id: server.id, transport: server.transport, target: target(server), enabled: server.enabled, start: server.start }));
    if (ctx.options.json === true) return print(ctx, JSON.stringify(rows, null, 2));
    if (rows.length === 0) return print(ctx, 'no MCP servers are configured (add them under mcp.servers)');
    const width = Math.max(...rows.map((row) => row.id.length), 2);
    for (const row of rows) ctx.stdout(`${row.id.padEnd(width)}  ${row.transport.padEnd(15)}  ${row.enabled ? row.start.padEnd(5) : 'off  '}  ${row.target}\n`);
    return 0;
  }

  private async tools(ctx: CliCommandContext): Promise<number> {
    const wanted = ctx.args.server as string | undefined;
    const servers = this.selected(wanted);
    const probed = await probeServers(servers, this.deps.logger, ctx.signal);
    if (ctx.options.json === true) {
      print(ctx, JSON.stringify(probed.flatMap((p) => p.tools), null, 2));
    } else {
      for (const { status, tools } of probed) {
        ctx.stdout(`${status.id}: ${describeState(status)}\n`);
        for (const tool of tools) ctx.stdout(`  ${tool.name}  (${tool.tool})  ${firstLine(tool.description)}\n`);
      }
    }
    const failed = probed.filter((p) => p.status.state !== 'connected');
    for (const { status } of failed) ctx.stderr(`nexus mcp tools: ${status.id} did not connect: ${status.lastError ?? status.state}\n`);
    return failed.length > 0 ? 1 : 0;
  }

  private async call(ctx: CliCommandContext): Promise<number> {
    const [server] = this.selected(ctx.args.server as string);
    const input = parseInput(ctx.options.input as string | undefined);
    const manager = new ConnectionManager({ servers: [{ ...server!, start: 'eager' }], logger: this.deps.logger, clientInfo: NEXUS_CLIENT_INFO });
    try {
      await manager.ensureStarted(ctx.signal);
      const connection = manager.connection(server!.id)!;
      const result = toToolResult(await connection.requests.callTool(ctx.args.tool as string, input, ctx.signal), { attachments: false });
      if (ctx.options.json === true) print(ctx, JSON.stringify({ isError: result.isError, content: result.content, structuredContent: result.structuredContent }, null, 2));
      else print(ctx, result.content);
      return result.isError ? 1 : 0;
    } catch (error) {
      ctx.stderr(`nexus mcp call: ${isMcpBridgeError(error) ? `${error.failure}: ` : ''}${(error as Error).message}\n`);
      return 1;
    } finally {
      await manager.stop();
    }
  }

  private async status(ctx: CliCommandContext): Promise<number> {
    const base = (ctx.options.url as string | undefined) ?? this.gatewayUrl();
    const running = readRunningGateway(this.deps.config.home)?.pid;
    if (ctx.options.url === undefined && running === undefined) {
      ctx.stderr(`nexus mcp status: no gateway is running (no live process in ${gatewayPidFile(this.deps.config.home)}); start one with nexus serve, or pass --url\n`);
      return 1;
    }
    if (base === undefined) {
      ctx.stderr('nexus mcp status: the gateway listens on a port chosen at start (server.http_port is 0); pass --url http://HOST:PORT as its start-up lines print it\n');
      return 1;
    }
    let response: Response;
    try {
      response = await fetch(new URL('/mcp/status', base), { headers: await this.credentials(ctx), signal: ctx.signal });
    } catch (error) {
      ctx.stderr(`nexus mcp status: cannot reach the gateway at ${base}: ${(error as Error).message}\n`);
      return 1;
    }
    const body = (await response.json().catch(() => undefined)) as (McpStatusReport & { error?: { message: string } }) | undefined;
    if (!response.ok || !body) {
      ctx.stderr(`nexus mcp status: the gateway answered ${response.status}${body?.error ? `: ${body.error.message}` : ''}\n`);
      return 1;
    }
    if (ctx.options.json === true) return print(ctx, JSON.stringify(body, null, 2));
    if (body.servers.length === 0) ctx.stdout('the running gateway has no MCP servers configured\n');
    for (const status of body.servers) {
      const retry = status.nextRetryAt ? `; next attempt in ${Math.max(0, Math.round((status.nextRetryAt - Date.now()) / 1000))} s` : '';
      ctx.stdout(`${status.id}: ${describeState(status)}${status.failures > 0 ? ` (${status.failures} failed attempt(s)${retry})` : ''}\n`);
    }
    ctx.stdout(`Nexus MCP server (/mcp): ${body.nexusServer.enabled ? `on, ${body.nexusServer.sessions} session(s)` : 'off'}\n`);
    return 0;
  }

  private async serve(ctx: CliCommandContext): Promise<number> {
    if (ctx.options.stdio !== true) throw new CliUsageError('nexus mcp serve needs --stdio (over HTTP, the running gateway serves /mcp)');
    const settings = this.deps.settings.server;
    if (!settings.enabled) {
      ctx.stderr("nexus mcp serve: Nexus's MCP server is off; set mcp.server.enabled: true\n");
      return 1;
    }
    const server = nexusServerMaker({ ...this.deps, settings })();
    const io = this.deps.stdio ?? { stdin: process.stdin, stdout: process.stdout };
    const serving = await serveOverStdio(server, io as never);
    const onAbort = () => void serving.close();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    await serving.closed;
    ctx.signal.removeEventListener('abort', onAbort);
    return 0;
  }

  private selected(id: string | undefined): McpServerSettings[] {
    const all = this.deps.settings.servers;
    if (id === undefined) return all.filter((server) => server.enabled);
    const server = all.find((entry) => entry.id === id);
    if (!server) throw new CliUsageError(`there is no MCP server "${id}" under mcp.servers${all.length > 0 ? ` (there are: ${all.map((s) => s.id).join(', ')})` : ''}`);
    return [server];
  }

  private gatewayUrl(): string | undefined {
    const server = this.deps.config.section<{ host?: string; http_port?: number }>('server');
    if (!server?.http_port) return undefined;
    const host = server.host === undefined || server.host === '0.0.0.0' ? '127.0.0.1' : server.host === '::' ? '[::1]' : server.host.includes(':') ? `[${server.host}]` : server.host;
    return `http://${host}:${server.http_port}`;
  }

  /** --api-key, --token, NEXUS_API_KEY, NEXUS_TOKEN; else an admin token when auth.jwt_secret is set; else none (open access). */
  private async credentials(ctx: CliCommandContext): Promise<Record<string, string>> {
    const env = this.deps.env ?? process.env;
    const apiKey = (ctx.options['api-key'] as string | undefined) ?? (ctx.options.token === undefined ? env.NEXUS_API_KEY : undefined);
    const token = (ctx.options.token as string | undefined) ?? (apiKey === undefined ? env.NEXUS_TOKEN : undefined);
    if (apiKey) return { 'x-api-key': apiKey };
    if (token) return { authorization: `Bearer ${token}` };
    if (!this.deps.config.section<{ jwt_secret?: string }>('auth')?.jwt_secret || !this.deps.services.has(TokenIssuerToken)) return {};
    const issued = await (await this.deps.services.get(TokenIssuerToken)).issue('operator', { expiresIn: '5m', role: 'admin' });
    return { authorization: `Bearer ${issued.token}` };
  }
}

function target(server: McpServerSettings): string {
  return server.transport === 'stdio' ? [server.command, ...server.args].join(' ') : displayUrl(server.url);
}

function parseInput(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`--input is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliUsageError('--input must be a JSON object, e.g. --input \'{"text":"hi"}\'');
  return value as Record<string, unknown>;
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

function print(ctx: CliCommandContext, text: string): number {
  ctx.stdout(`${text}\n`);
  return 0;
}

