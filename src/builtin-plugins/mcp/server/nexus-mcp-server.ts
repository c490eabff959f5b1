import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolRequest, type CallToolResult, type ServerNotification, type Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import type { Logger, Tool, ToolDeclaration, ToolResult } from '@nexus/plugin-sdk';
import { compileToolFilter, type NexusMcpServerSettings } from '../config/index.js';
import { systemTimers, type Timers } from '../connections/index.js';
import { InputCheck } from './input-check.js';
import { turnProgress } from './turn-progress.js';

/** A turn run on behalf of an MCP client. */
export interface TurnRequest {
  /** The Nexus session to run it in; the port picks one (per MCP session) when absent. */
  readonly sessionKey?: string;
  readonly text: string;
  /** The MCP client's session (streamable HTTP), or undefined over stdio. */
  readonly mcpSessionId?: string;
  /** Who called, as the gateway checked it (the `/mcp` route); undefined over stdio (the local operator). */
  readonly caller?: McpCaller;
  /** The reply so far, as it streams (the whole text each time); given when the client asked for progress. */
  readonly onText?: (text: string) => void;
  readonly signal: AbortSignal;
}

/** The checked caller of `/mcp`, passed to MCP handlers as the SDK's `authInfo`. */
export interface McpCaller {
  readonly userId: string;
  readonly role: 'admin' | 'user';
}

/** The `authInfo` the route hands the SDK transport, so handlers know who called. */
export function callerAuthInfo(caller: McpCaller): AuthInfo {
  return { token: '', clientId: caller.userId, scopes: [caller.role], extra: { nexusCaller: caller } };
}

function callerOf(authInfo: AuthInfo | undefined): McpCaller | undefined {
  const caller = authInfo?.extra?.nexusCaller as McpCaller | undefined;
  return caller && typeof caller.userId === 'string' ? caller : undefined;
}

export interface TurnReply {
  readonly reply: string;
  /** The session the turn ran in, so the client can continue it. */
  readonly sessionKey: string;
}

/** Runs one agent turn and returns the final reply (phase 2 backs it with the gateway service). */
export type TurnPort = (request: TurnRequest) => Promise<TurnReply>;

/**
 * An agent tool as this server offers it: its manifest declaration (`contributes.tools`, from
 * `ContributionRegistry.declared`) and a way to run it, which may load its plugin on first call.
 */
export type ServedTool = ToolDeclaration & Tool;

export interface NexusMcpServerOptions {
  /** The agent's own contributed tools; the MCP-bridged ones must not be passed here. */
  readonly tools: readonly ServedTool[];
  /** Backs `send_message`; without it the tool is not offered. */
  readonly turn?: TurnPort;
  readonly settings: Pick<NexusMcpServerSettings, 'tools' | 'sendMessage'>;
  /** Time limit for a tool without its own `timeoutMs` (the agent's tool_timeout). */
  readonly defaultToolTimeoutMs: number;
  readonly version: string;
  readonly logger: Logger;
  readonly timers?: Timers;
}

export const SEND_MESSAGE_TOOL = 'send_message';

const SEND_MESSAGE: McpTool = {
  name: SEND_MESSAGE_TOOL,
  description:
    'Sends a message to the Nexus agent, runs a turn, and returns its reply. Give session_key to continue a conversation (the reply says which session it used). With a progress token, the reply so far arrives as progress messages while the turn runs.',
  inputSchema: {
    type: 'object',
    properties: {
      text: { type: 'string', minLength: 1, description: 'The message for the agent.' },
      session_key: { type: 'string', minLength: 1, description: 'The Nexus session to use; leave out for this MCP session\'s own.' },
    },
    required: ['text'],
    additionalProperties: false,
  },
  outputSchema: {
    type: 'object',
    properties: { reply: { type: 'string' }, session_key: { type: 'string' } },
    required: ['reply', 'session_key'],
  },
};

/** One MCP server offering Nexus's tools (for stdio, or a test). */
export function createNexusMcpServer(options: NexusMcpServerOptions): McpServer {
  return nexusMcpServerFactory(options)();
}

/**
 * Makes MCP servers offering Nexus's tools: one per MCP session, since an SDK server serves one
 * transport; the tool table and compiled input schemas are shared. The tools are described by
 * JSON Schema, so tools/list and tools/call are answered on the underlying protocol server
 * rather than through `registerTool` (which takes zod shapes); mixing the two is not possible.
 */
export function nexusMcpServerFactory(options: NexusMcpServerOptions): () => McpServer {
  const timers = options.timers ?? systemTimers;
  const inputs = new InputCheck();
  const allows = compileToolFilter(options.settings.tools);
  const offerSendMessage = options.settings.sendMessage && options.turn !== undefined;
  const tools = new Map<string, ServedTool>();
  for (const tool of options.tools) {
    if (!allows(tool.name)) continue;
    if (tool.name === SEND_MESSAGE_TOOL && offerSendMessage) {
      options.logger.warn(`the agent tool ${tool.name} is not offered over MCP: the name is taken by Nexus's own send_message`);
      continue;
    }
    tools.set(tool.name, tool);
  }
  const listed: McpTool[] = [...tools.values()].map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema as McpTool['inputSchema'] }));
  if (offerSendMessage) listed.push(SEND_MESSAGE);

  const callTool = async (
    request: CallToolRequest,
    extra: { signal: AbortSignal; sessionId?: string; authInfo?: AuthInfo; sendNotification: (notification: ServerNotification) => Promise<void> },
  ): Promise<CallToolResult> => {
    const { name } = request.params;
    const input = structuredClone(request.params.arguments ?? {});
    if (name === SEND_MESSAGE_TOOL && offerSendMessage) {
      const problems = inputs.problems(SEND_MESSAGE.inputSchema, input);
      if (problems) return failure(`Invalid input for ${name}: ${problems}.`);
      const { text, session_key } = input as { text: string; session_key?: string };
      const progress = turnProgress(request.params._meta?.progressToken, extra.sendNotification);
      try {
        const result = await options.turn!({ text, sessionKey: session_key, mcpSessionId: extra.sessionId, caller: callerOf(extra.authInfo), onText: progress?.onText, signal: extra.signal });
        return { content: [{ type: 'text', text: result.reply }], structuredContent: { reply: result.reply, session_key: result.sessionKey } };
      } catch (error) {
        return failure(`The turn failed: ${(error as Error).message}`);
      } finally {
        progress?.stop();
      }
    }
    const tool = tools.get(name);
    if (!tool) return failure(`Unknown tool "${name}". The tools are: ${listed.map((t) => t.name).join(', ') || 'none'}.`);
    const problems = inputs.problems(tool.inputSchema, input);
    if (problems) return failure(`Invalid input for ${name}: ${problems}. Nothing was run.`);
    const result = await runTool(tool, input, extra.signal, extra.sessionId, tool.timeoutMs ?? options.defaultToolTimeoutMs, timers, options.logger);
    return { content: [{ type: 'text', text: result.content }], isError: result.isError === true };
  };
  return () => {
    const server = new McpServer({ name: 'nexus', version: options.version }, { capabilities: { tools: { listChanged: false } } });
    server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
    server.server.setRequestHandler(CallToolRequestSchema, callTool);
    return server;
  };
}

async function runTool(tool: ServedTool, input: unknown, signal: AbortSignal, mcpSessionId: string | undefined, timeoutMs: number, timers: Timers, logger: Logger): Promise<ToolResult> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  let timer: object | undefined;
  const timedOut = new Promise<ToolResult>((resolve) => {
    timer = timers.setTimeout(() => {
      controller.abort(new Error(`tool ${tool.name} timed out after ${timeoutMs} ms`));
      resolve({ content: `Tool "${tool.name}" did not finish within ${timeoutMs} ms and was stopped.`, isError: true });
    }, timeoutMs);
  });
  try {
    const context = { signal: controller.signal, logger: logger.child({ tool: tool.name, via: 'mcp' }), sessionId: `mcp:${mcpSessionId ?? 'stdio'}` };
    const result = await Promise.race([Promise.resolve().then(() => tool.execute(input, context)), timedOut]);
    if (typeof result?.content !== 'string') return { content: `Tool "${tool.name}" returned no usable result.`, isError: true };
    return result;
  } catch (error) {
    return { content: `Tool "${tool.name}" failed: ${(error as Error).message}`, isError: true };
  } finally {
    if (timer) timers.clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

function failure(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
