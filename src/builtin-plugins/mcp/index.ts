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
// Only the light modules, by path: what needs the MCP SDK is imported on first need (plugin/heavy.ts).
import { configCheck, probeCheck } from './plugin/doctor-checks.js';
import { lazyCommand, LazyRoute, lazyToolSource } from './plugin/lazy-contributions.js';
import { McpRuntime } from './plugin/mcp-runtime.js';
import { loadMcpSettings } from './plugin/settings.js';

const RuntimeBinding = createToken<McpRuntime>('nexus.mcp.runtime');
const RouteBinding = createToken<LazyRoute>('nexus.mcp.route');

/** The activation events of a running gateway, as opposed to `onCommand:`, `onDoctor:`. */
const STARTS_SERVERS = /^(?:onStartup|reload|required|onToolSource:|onHttpRoute:)/;

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
    ctx.bind(RuntimeBinding).toDynamicValue((c) => new McpRuntime(loadMcpSettings(c.get(ConfigToken)), c.get(LoggerToken)));
    ctx.bind(RouteBinding).toDynamicValue((c) => new LazyRoute(runtimeOf(c), nexusDeps(c), c.get(LoggerToken)), { onUnload: (route) => route.close() });
    ctx.contribute(ToolSources, 'mcp').toDynamicValue((c) => lazyToolSource(runtimeOf(c)));
    ctx.contribute(HttpRoutes, '/mcp').toDynamicValue((c) => c.get<LazyRoute>(RouteBinding));
    ctx.contribute(DoctorChecks, 'mcp-config').toDynamicValue((c) => configCheck(runtimeOf(c).settings));
    ctx.contribute(DoctorChecks, 'mcp-probe').toDynamicValue((c) => probeCheck(runtimeOf(c).settings, c.get(LoggerToken)));
    ctx.contribute(CliCommands, 'mcp').toDynamicValue((c) => lazyCommand({ settings: runtimeOf(c).settings, ...nexusDeps(c) }));
  },

  async activate(ctx) {
    const runtime = ctx.get(RuntimeBinding);
    // A stopping gateway ends every server now; a deactivation without it is a reload or a disable.
    ctx.onHook('kernel.stopping', () => runtime.stopForGood());
    // A gateway (startup, reload, a turn, a request) starts the eager servers, in the background;
    // commands and doctor checks connect on their own, and only when they need to.
    if (STARTS_SERVERS.test(ctx.event)) await runtime.start();
  },

  async deactivate(ctx) {
    await ctx.get(RuntimeBinding).retire();
  },
});
