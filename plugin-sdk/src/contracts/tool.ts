import type { Logger } from './logger.js';
import { createToken } from './tokens.js';

/** A JSON Schema document (draft 2020-12). */
export type JsonSchema = Record<string, unknown>;

export interface ToolContext {
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly sessionId?: string;
}

export interface ToolResult {
  /** What the model sees. */
  readonly content: string;
  /** The model is told the call failed; the loop goes on. */
  readonly isError?: boolean;
}

/**
 * What the model is told about a tool: its entry in `contributes.tools` (with the input schema
 * filled in when the manifest gives none), or what a tool source lists. The runtime offers a
 * tool from this alone, without loading the plugin that implements it.
 */
export interface ToolDeclaration {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
  /** Per-call time limit; the runtime's default (`agent.tool_timeout`) applies when absent. */
  readonly timeoutMs?: number;
}

/**
 * A tool's implementation, bound under the name its manifest declares (`contributes.tools`):
 * `ctx.contribute(Tools, name).to(Class)` (or `.toConstantValue(tool)`). The manifest states the
 * name, description, input schema and time limit; the runtime validates `input` against that
 * schema before `execute` runs, and loads the plugin only when the model calls the tool.
 *
 * An object that still states `name`, `description`, `inputSchema` or `timeoutMs` (older
 * plugins did) must state exactly what the manifest does; any difference is a contract error
 * (`plugin.contract-mismatch`) that fails the plugin.
 */
export interface Tool<I = unknown> {
  execute(input: I, ctx: ToolContext): Promise<ToolResult>;
}

export const Tools = createToken<Tool>('nexus.contrib.tools');

/** What a tool source is asked when a turn starts. */
export interface ToolListContext {
  /** Aborted when the turn is cancelled: stop waiting for slow backends. */
  readonly signal: AbortSignal;
  readonly sessionId?: string;
}

/**
 * Tools known only at run time, such as those of MCP servers: declared in the manifest as
 * `contributes.toolSources`, bound with `ctx.contribute(ToolSources, name)`. It is the one
 * exception to offering tools from manifests: the runtime activates a source's plugin when a turn
 * starts and asks `list` for the tools it has now, then `call`s them by the listed name. A listed
 * name that a manifest's tool already uses is left out (with a warning).
 */
export interface ToolSource {
  list(context: ToolListContext): Promise<readonly ToolDeclaration[]>;
  call(name: string, input: unknown, context: ToolContext): Promise<ToolResult>;
}

export const ToolSources = createToken<ToolSource>('nexus.contrib.tool-sources');
