import { formatSource, type DoctorCheck, type DoctorFinding, type Logger } from '@nexus/plugin-sdk';
import type { McpSettings } from '../config/index.js';

/** `mcp-config`: each problem of the `mcp` section, located by file and JSON pointer. */
export function configCheck(settings: McpSettings): DoctorCheck {
  return {
    id: 'mcp-config',
    description: 'The mcp section: each server entry is complete and consistent.',
    async run() {
      const findings: DoctorFinding[] = settings.problems.map((problem) => ({
        level: problem.level,
        message: `${formatSource(problem.source)}: ${problem.message}`,
        hint: problem.hint,
      }));
      if (findings.length > 0) return findings;
      const enabled = settings.servers.filter((server) => server.enabled).length;
      return [{ level: 'info', message: `${settings.servers.length} MCP server(s) configured, ${enabled} enabled; Nexus's own MCP server is ${settings.server.enabled ? 'on (/mcp)' : 'off'}` }];
    },
  };
}

/** `mcp-probe`: with --probe, connects to each enabled server and lists its tools. */
export function probeCheck(settings: McpSettings, logger: Logger): DoctorCheck {
  return {
    id: 'mcp-probe',
    description: 'Connects to each enabled MCP server and lists its tools.',
    async run(ctx) {
      const enabled = settings.servers.filter((server) => server.enabled);
      if (enabled.length === 0) return [{ level: 'info', message: 'no enabled MCP servers to probe' }];
      if (!ctx.probe) return [{ level: 'info', message: `${enabled.length} MCP server(s) not contacted (run doctor with --probe)` }];
      const findings: DoctorFinding[] = [];
      // The MCP SDK is loaded only for an actual probe.
      const { describeState, probeServers } = await import('./probe.js');
      for (const { status, tools } of await probeServers(enabled, logger, ctx.signal)) {
        if (status.state === 'connected') {
          const names = tools.map((tool) => tool.tool);
          findings.push({ level: 'info', message: `MCP server ${status.id}: ${describeState(status)}${names.length > 0 ? `: ${names.join(', ')}` : ''}` });
          if (names.length === 0) findings.push({ level: 'warning', message: `MCP server ${status.id} offers the agent no tools`, hint: `check mcp.servers.${status.id}.tools (include/exclude)` });
        } else {
          findings.push({
            level: 'error',
            message: `MCP server ${status.id} (${status.transport}) did not connect: ${status.lastError ?? status.state}`,
            hint: status.transport === 'stdio' ? `run its command by hand to see why, or check mcp.servers.${status.id}.command, args and env` : `check mcp.servers.${status.id}.url and headers, and that the server runs`,
          });
        }
      }
      return findings;
    },
  };
}
