import type { Prompt, Resource } from '@modelcontextprotocol/sdk/types.js';
import type { JsonSchema } from '@nexus/plugin-sdk';
import { listWithin } from './description.js';

export const READ_RESOURCE_TOOL = 'mcp_read_resource';
export const GET_PROMPT_TOOL = 'mcp_get_prompt';

export interface ToolDescriptor {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
}

/** One tool that reads a resource from any server offering resources; the servers are an enum. */
export function readResourceTool(servers: ReadonlyMap<string, readonly Resource[]>): ToolDescriptor {
  const lines = [...servers].flatMap(([id, resources]) => resources.map((r) => `- ${id}: ${r.uri}${r.name && r.name !== r.uri ? ` (${r.name})` : ''}`));
  return {
    name: READ_RESOURCE_TOOL,
    description: listWithin('Reads a resource (a file, a record, a document) from an MCP server by its URI; tool results may link more. Known resources:', lines),
    inputSchema: {
      type: 'object',
      properties: {
        server: { type: 'string', enum: [...servers.keys()], description: 'The MCP server that has the resource.' },
        uri: { type: 'string', minLength: 1, description: 'The resource URI, as listed or as a tool result linked it.' },
      },
      required: ['server', 'uri'],
      additionalProperties: false,
    },
  };
}

/** One tool that fetches a prompt template from any server offering prompts. */
export function getPromptTool(servers: ReadonlyMap<string, readonly Prompt[]>): ToolDescriptor {
  const describe = (prompt: Prompt) => {
    const args = (prompt.arguments ?? []).map((a) => `${a.name}${a.required ? '' : '?'}`);
    return `${prompt.name}(${args.join(', ')})${prompt.description ? `: ${prompt.description}` : ''}`;
  };
  const lines = [...servers].flatMap(([id, prompts]) => prompts.map((prompt) => `- ${id}: ${describe(prompt)}`));
  return {
    name: GET_PROMPT_TOOL,
    description: listWithin('Fetches a prompt template from an MCP server, filled in with arguments, and returns its messages. Available prompts (arguments with ? are optional):', lines),
    inputSchema: {
      type: 'object',
      properties: {
        server: { type: 'string', enum: [...servers.keys()], description: 'The MCP server that has the prompt.' },
        name: { type: 'string', minLength: 1, description: 'The prompt name.' },
        arguments: { type: 'object', additionalProperties: { type: 'string' }, description: 'The prompt\'s arguments, all as strings.' },
      },
      required: ['server', 'name'],
      additionalProperties: false,
    },
  };
}
