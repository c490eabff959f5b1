import type { Logger } from '@nexus/plugin-sdk';
import { McpBridgeError, type ConnectionManager, type ServerConnection, type ServerStatus } from '../connections/index.js';
import { restoreArgumentNames } from './argument-names.js';
import type { ToolDescriptor } from './generic-tools.js';
import type { SchemaCheck } from './input-schema.js';
import { buildToolTable, type TableEntry } from './tool-table.js';
import { promptToToolResult, resourceToToolResult, toToolResult, type McpToolResult } from './tool-result.js';

export interface McpToolSourceOptions {
  readonly logger: Logger;
  /** Whether results may carry attachments (images, audio, files); otherwise they become notes. */
  readonly attachments?: boolean;
  /** The runtime's schema compiler: a schema it cannot compile is replaced by an open object. */
  readonly schemaCheck?: SchemaCheck;
}

/** One bridged tool: the name the agent sees, and where it comes from. */
export interface McpToolListing {
  readonly name: string;
  readonly server: string;
  /** The server's own name for it. */
  readonly tool: string;
  readonly description: string;
}

export interface ListContext {
  /** Stops waiting for lazy servers (the turn was cancelled). */
  readonly signal?: AbortSignal;
}

export interface CallContext {
  readonly signal?: AbortSignal;
  /** Overrides the source's `attachments` for this call. */
  readonly attachments?: boolean;
}

/**
 * The MCP bridge as a tool source (the SDK's `contributes.toolSources` object): `list` what the
 * connected servers offer, `call` by the listed name. Tools of a server that is down are not
 * listed, and calling one says why it is unavailable instead of "unknown tool".
 */
export class McpToolSource {
  private table: Map<string, TableEntry> | undefined;
  /** Every name ever listed → its server, so a call to a vanished tool gets a useful answer. */
  private readonly listedBefore = new Map<string, string>();

  constructor(
    private readonly manager: ConnectionManager,
    private readonly options: McpToolSourceOptions,
  ) {
    manager.onChange(() => {
      this.table = undefined;
    });
  }

  /** The tools across connected servers; starts lazy servers first and waits for their first attempt. */
  async list(context: ListContext = {}): Promise<ToolDescriptor[]> {
    if (this.manager.isClosed) return [];
    await this.manager.ensureStarted(context.signal);
    return [...this.current().values()].map((entry) => entry.descriptor);
  }

  async call(name: string, input: unknown, context: CallContext = {}): Promise<McpToolResult> {
    if (this.manager.isClosed) throw new McpBridgeError('bridge_closed', `the MCP bridge was stopped, so ${name} cannot be called`);
    const entry = this.current().get(name);
    const render = { attachments: context.attachments ?? this.options.attachments ?? false };
    if (!entry) throw this.missing(name);
    if (entry.kind === 'tool') {
      const args = restoreArgumentNames(input ?? {}, entry.renamedArguments);
      if (typeof args !== 'object' || args === null || Array.isArray(args)) {
        throw new McpBridgeError('invalid_input', `the input for ${name} must be a JSON object`, entry.serverId);
      }
      const result = await this.server(entry.serverId).requests.callTool(entry.toolName, args as Record<string, unknown>, context.signal);
      return toToolResult(result, render);
    }
    const { server, uri, name: promptName, arguments: promptArgs } = (input ?? {}) as Record<string, unknown>;
    if (typeof server !== 'string') throw new McpBridgeError('invalid_input', `${name} needs "server": the id of an MCP server`);
    const connection = this.server(server);
    if (entry.kind === 'read_resource') {
      if (typeof uri !== 'string') throw new McpBridgeError('invalid_input', `${name} needs "uri": the resource to read`, server);
      return resourceToToolResult(await connection.requests.readResource(uri, context.signal), render);
    }
    if (typeof promptName !== 'string') throw new McpBridgeError('invalid_input', `${name} needs "name": the prompt to get`, server);
    return promptToToolResult(await connection.requests.getPrompt(promptName, stringArguments(promptArgs), context.signal), render);
  }

  status(): ServerStatus[] {
    return this.manager.status();
  }

  /** The bridged tools now listed, with the server and the server's own name for each (for `nexus mcp tools`). */
  listing(): McpToolListing[] {
    return [...this.current().values()].flatMap((entry) => (entry.kind === 'tool' ? [{ name: entry.descriptor.name, server: entry.serverId, tool: entry.toolName, description: entry.descriptor.description }] : []));
  }

  private current(): Map<string, TableEntry> {
    if (!this.table) {
      this.table = buildToolTable(this.manager.connections(), this.options.schemaCheck, this.options.logger);
      for (const entry of this.table.values()) if (entry.kind === 'tool') this.listedBefore.set(entry.descriptor.name, entry.serverId);
    }
    return this.table;
  }

  private server(id: string): ServerConnection {
    const connection = this.manager.connection(id);
    if (!connection) throw new McpBridgeError('server_unavailable', `there is no enabled MCP server "${id}"`, id);
    return connection;
  }

  private missing(name: string): McpBridgeError {
    const serverId = this.listedBefore.get(name);
    const connection = serverId === undefined ? undefined : this.manager.connection(serverId);
    // The tool's server went away (crash, restart): say that, not "unknown tool".
    if (connection && connection.status().state !== 'connected') return connection.requests.unavailableError();
    const known = [...this.current().keys()];
    return new McpBridgeError('unknown_tool', `there is no MCP tool named ${name}${serverId ? ` (MCP server "${serverId}" no longer offers it)` : ''}; ${known.length > 0 ? `the MCP tools now are: ${known.join(', ')}` : 'no MCP tools are available now'}`, serverId);
  }
}

function stringArguments(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, typeof item === 'string' ? item : JSON.stringify(item)]));
}
