import type { Prompt, Resource } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '@nexus/plugin-sdk';
import type { ServerConnection } from '../connections/index.js';
import { GET_PROMPT_TOOL, getPromptTool, READ_RESOURCE_TOOL, readResourceTool, type ToolDescriptor } from './generic-tools.js';
import { toolDescription } from './description.js';
import { normaliseInputSchema, type SchemaCheck } from './input-schema.js';
import { ToolNameAllocator } from './tool-names.js';

export type TableEntry =
  | { readonly kind: 'tool'; readonly descriptor: ToolDescriptor; readonly serverId: string; readonly toolName: string; readonly renamedArguments?: ReadonlyMap<string, string> }
  | { readonly kind: 'read_resource' | 'get_prompt'; readonly descriptor: ToolDescriptor };

/**
 * The tools the agent sees at one moment: every connected server's tools under their safe names
 * (servers by id, tools by name, so the same set always gets the same names), plus the two
 * generic tools when some server offers resources or prompts.
 */
export function buildToolTable(connections: readonly ServerConnection[], check: SchemaCheck | undefined, logger: Logger): Map<string, TableEntry> {
  const table = new Map<string, TableEntry>();
  const names = new ToolNameAllocator([READ_RESOURCE_TOOL, GET_PROMPT_TOOL]);
  const resources = new Map<string, readonly Resource[]>();
  const prompts = new Map<string, readonly Prompt[]>();
  for (const connection of [...connections].sort((a, b) => compare(a.id, b.id))) {
    const catalog = connection.catalog();
    if (catalog.resources) resources.set(connection.id, catalog.resources);
    if (catalog.prompts) prompts.set(connection.id, catalog.prompts);
    const seen = new Set<string>();
    for (const tool of [...catalog.tools].sort((a, b) => compare(a.name, b.name))) {
      if (seen.has(tool.name)) {
        logger.warn(`MCP server ${connection.id} lists the tool ${tool.name} twice; only the first is offered`, { server: connection.id });
        continue;
      }
      seen.add(tool.name);
      const name = names.allocate(connection.id, tool.name);
      const normalised = normaliseInputSchema(tool.inputSchema, check);
      if (normalised.changes.length > 0) logger.debug(`adjusted the input schema of ${connection.id}/${tool.name} for providers: ${normalised.changes.join('; ')}`, { server: connection.id });
      const description = toolDescription(tool.description ?? tool.title ?? `The ${tool.name} tool of MCP server ${connection.id}.`, normalised.descriptionNote);
      table.set(name, {
        kind: 'tool',
        descriptor: { name, description, inputSchema: normalised.schema },
        serverId: connection.id,
        toolName: tool.name,
        renamedArguments: normalised.renamedArguments,
      });
    }
  }
  if (resources.size > 0) table.set(READ_RESOURCE_TOOL, { kind: 'read_resource', descriptor: readResourceTool(resources) });
  if (prompts.size > 0) table.set(GET_PROMPT_TOOL, { kind: 'get_prompt', descriptor: getPromptTool(prompts) });
  return table;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
