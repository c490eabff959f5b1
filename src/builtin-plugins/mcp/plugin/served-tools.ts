import { Tools, type ContributionRegistry } from '@nexus/plugin-sdk';
import type { ServedTool } from '../server/index.js';

/**
 * The agent's contributed tools (`contributes.tools` of every enabled plugin), as Nexus's MCP
 * server offers them: described from the manifests, and loaded (their plugin activated) only
 * when a client calls one. Tool sources, the MCP bridge among them, are not included: Nexus does
 * not re-export other servers' tools.
 */
export function contributedTools(contributions: ContributionRegistry): ServedTool[] {
  return contributions.declarations(Tools).map((declared) => ({
    name: declared.name,
    description: declared.description,
    inputSchema: declared.inputSchema,
    timeoutMs: declared.timeoutMs,
    execute: async (input, context) => (await contributions.get(Tools, declared.name)).execute(input, context),
  }));
}
