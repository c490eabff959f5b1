import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { parseDuration, Tools, TurnServiceToken, type ConfigAccess, type ContributionRegistry, type Declared, type Logger, type ServiceRegistry, type Tool } from '@nexus/plugin-sdk';
import type { NexusMcpServerSettings } from '../config/index.js';
import { nexusMcpServerFactory } from '../server/index.js';
import { NEXUS_CLIENT_INFO } from './mcp-engine.js';
import { contributedTools } from './served-tools.js';
import { turnPortOver } from './turn-port.js';

export interface NexusServerDeps {
  readonly settings: NexusMcpServerSettings;
  readonly config: ConfigAccess;
  readonly contributions: ContributionRegistry;
  readonly services: ServiceRegistry;
  readonly logger: Logger;
}

/**
 * Makes the MCP servers (one per MCP session) that offer Nexus's tools: the agent's contributed
 * tools, and send_message when the gateway's TurnService is available. The tool table is rebuilt
 * only when the set of contributed tools changed (a plugin was enabled or disabled).
 */
export function nexusServerMaker(deps: NexusServerDeps): () => McpServer {
  let made: { readonly declared: readonly Declared<Tool>[]; readonly withTurns: boolean; readonly create: () => McpServer } | undefined;
  return () => {
    const declared = deps.contributions.declarations(Tools);
    const withTurns = deps.services.has(TurnServiceToken);
    if (!made || made.declared !== declared || made.withTurns !== withTurns) {
      const create = nexusMcpServerFactory({
        tools: contributedTools(deps.contributions),
        turn: withTurns ? turnPortOver(() => deps.services.get(TurnServiceToken)) : undefined,
        settings: deps.settings,
        defaultToolTimeoutMs: agentToolTimeout(deps.config),
        version: NEXUS_CLIENT_INFO.version,
        logger: deps.logger,
      });
      made = { declared, withTurns, create };
    }
    return made.create();
  };
}

/** `agent.tool_timeout`, the limit for a tool that sets none (30 s when unreadable). */
function agentToolTimeout(config: ConfigAccess): number {
  const value = config.section<{ tool_timeout?: string }>('agent')?.tool_timeout;
  return (typeof value === 'string' ? parseDuration(value) : undefined) ?? 30_000;
}
