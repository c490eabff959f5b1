import type { CliCommand, CliCommandContext, HttpRequest, HttpResponse, HttpRoute, Logger, ToolContext, ToolListContext, ToolSource } from '@nexus/plugin-sdk';
import type { McpCommandDeps, McpRoute } from './heavy.js';
import { loadHeavy, type McpRuntime } from './mcp-runtime.js';
import type { NexusServerDeps } from './nexus-server.js';

/** The `mcp` tool source: the engine (and with it the MCP SDK) loads on the first turn that asks. */
export function lazyToolSource(runtime: McpRuntime): ToolSource {
  return {
    list: async (context: ToolListContext) => (await runtime.engine()).source.list(context),
    call: async (name: string, input: unknown, context: ToolContext) => (await runtime.engine()).source.call(name, input, context),
  };
}

/** `/mcp`: the route and the engine load on the first request. */
export class LazyRoute implements HttpRoute {
  private route: Promise<McpRoute> | undefined;

  constructor(
    private readonly runtime: McpRuntime,
    private readonly deps: Omit<NexusServerDeps, 'settings'>,
    private readonly logger: Logger,
  ) {}

  async handle(request: HttpRequest): Promise<HttpResponse> {
    this.route ??= Promise.all([loadHeavy(), this.runtime.engine()]).then(([{ McpRoute }, engine]) => new McpRoute({ settings: this.runtime.settings, engine }, this.deps, this.logger));
    return (await this.route).handle(request);
  }

  async close(): Promise<void> {
    if (this.route) await (await this.route).close();
  }
}

/** `nexus mcp …`: its code loads when the command runs. */
export function lazyCommand(deps: McpCommandDeps): CliCommand {
  return {
    name: 'mcp',
    run: async (ctx: CliCommandContext) => new (await loadHeavy()).McpCommand(deps).run(ctx),
  };
}
