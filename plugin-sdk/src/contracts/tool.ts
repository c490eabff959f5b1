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
 * A tool the agent can call. The runtime validates `input` against `inputSchema` before
 * `execute` runs. Contribute it with `ctx.contribute(Tools, name).toConstantValue(tool)` (or `.to(Class)`).
 */
export interface Tool<I = unknown> {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
  /** Per-call time limit; the runtime's default applies when absent. */
  readonly timeoutMs?: number;
  execute(input: I, ctx: ToolContext): Promise<ToolResult>;
}

export const Tools = createToken<Tool>('nexus.contrib.tools');
