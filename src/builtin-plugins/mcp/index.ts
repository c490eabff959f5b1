import {
  CliCommands,
  ConfigToken,
  ContributionsToken,
  createToken,
  definePlugin,
  DoctorChecks,
  HttpRoutes,
  LoggerToken,
  ServicesToken,
  ToolSources,
  type ResolutionContext,
} from '@nexus/plugin-sdk';
import { configCheck, loadMcpSettings, McpCommand, McpRoute, McpRuntime, probeCheck } from './plugin/index.js';

const RuntimeBinding = createToken<McpRuntime>('nexus.mcp.runtime');
const RouteBinding = createToken<McpRoute>('nexus.mcp.route');

const runtimeOf = (c: ResolutionContext) => c.get<McpRuntime>(RuntimeBinding);
const nexusDeps = (c: ResolutionContext) => ({ config: c.get(ConfigToken), contributions: c.get(ContributionsToken), services: c.get(ServicesToken), logger: c.get(LoggerToken) });

/**
 * The MCP bridge: the configured MCP servers' tools as a tool source for the agent, Nexus's own
 * MCP server at /mcp, `nexus mcp …` and the doctor checks, all over one runtime per activation.
 * A reload hands the running connections to the next activation, which restarts only the
 * servers whose settings changed.
 */
export default definePlugin({
  register(ctx) {
    ctx.bind(RuntimeBinding).toDynamicValue((c) => McpRuntime.create(loadMcpSettings(c.get(ConfigToken)), c.get(LoggerToken)));
    ctx.bind(RouteBinding).toDynamicValue((c) => new McpRoute(runtimeOf(c), nexusDeps(c), c.get(LoggerToken)), { onUnload: (route) => route.close() });
    ctx.contribute(ToolSources, 'mcp').toDynamicValue((c) => runtimeOf(c).source);
    ctx.contribute(HttpRoutes, '/mcp').toDynamicValue((c) => c.get<McpRoute>(RouteBinding));
    ctx.contribute(DoctorChecks, 'mcp-config').toDynamicValue((c) => configCheck(runtimeOf(c).settings));
    ctx.contribute(DoctorChecks, 'mcp-probe').toDynamicValue((c) => probeCheck(runtimeOf(c).settings, c.get(LoggerToken)));
    ctx.contribute(CliCommands, 'mcp').toDynamicValue((c) => new McpCommand({ settings: runtimeOf(c).settings, ...nexusDeps(c) }));
  },

  async activate(ctx) {
    const runtime = ctx.get(RuntimeBinding);
    // A stopping gateway ends every server now; a deactivation without it is a reload or a disable.
    ctx.onHook('kernel.stopping', () => runtime.stopForGood());
    // Commands connect on their own; a gateway (startup, reload, a turn) starts the eager servers.
    if (!ctx.event.startsWith('onCommand:')) await runtime.start();
  },

  async deactivate(ctx) {
    await ctx.get(RuntimeBinding).retire();
  },
});
