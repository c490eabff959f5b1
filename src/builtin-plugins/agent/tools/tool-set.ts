import {
  ToolSources,
  type ContributionRegistry,
  type LlmToolCall,
  type LlmToolSpec,
  type Logger,
  type ToolDeclaration,
  type ToolResult,
  type ToolSource,
} from '@nexus/plugin-sdk';
import { offerInto, specsOf, type DeclaredTools, type OfferedTool } from './declared-tools.js';
import type { ToolInputValidator } from './input-validator.js';

export interface ToolOutcome {
  readonly content: string;
  readonly isError: boolean;
  readonly durationMs: number;
  /** The turn was cancelled while the tool ran; its result is meaningless. */
  readonly cancelled: boolean;
}

export interface ToolCallOptions {
  /** The turn's signal: cancelling the turn stops the tool. */
  readonly signal: AbortSignal;
  readonly sessionId: string;
  /** `agent.tool_timeout`, for tools that set no `timeoutMs` of their own. */
  readonly defaultTimeoutMs: number;
}

/** The turn the tools are gathered for. */
export interface ToolSetContext {
  readonly signal: AbortSignal;
  readonly sessionId: string;
}

/**
 * The tools one turn can call: every tool the manifests declare (offered from the declaration
 * alone; the plugin is loaded only when the model calls the tool) and what each declared tool
 * source lists now. Every way a call can go wrong (unknown tool, bad input, a plugin that cannot
 * load, a throw, a timeout, a malformed result) becomes an error result the model reads and can
 * act on; only cancelling the turn stops the loop.
 */
export class ToolSet {
  private constructor(
    private readonly entries: ReadonlyMap<string, OfferedTool>,
    private readonly toolSpecs: readonly LlmToolSpec[],
    private readonly validator: ToolInputValidator,
    private readonly logger: Logger,
  ) {}

  static async load(declared: DeclaredTools, contributions: ContributionRegistry, validator: ToolInputValidator, logger: Logger, turn: ToolSetContext): Promise<ToolSet> {
    const table = declared.current();
    // Only a declared source is asked, and activated, at all.
    if (contributions.names(ToolSources).length === 0) return new ToolSet(table.tools, table.specs, validator, logger);
    const entries = new Map(table.tools);
    for (const { name: source, pluginId, value } of await contributions.getAll(ToolSources)) {
      for (const declaration of await listed(value, source, pluginId, logger, turn)) {
        if (entries.has(declaration.name)) {
          logger.warn(`tool ${declaration.name} of tool source ${source} is left out: another tool has that name`, { pluginId, tool: declaration.name });
          continue;
        }
        offerInto(entries, validator, logger, declaration, pluginId, (input, context) => value.call(declaration.name, input, context));
      }
    }
    return new ToolSet(entries, specsOf(entries), validator, logger);
  }

  get size(): number {
    return this.entries.size;
  }

  /** What the model is told it can call: the declarations, as written. */
  specs(): readonly LlmToolSpec[] {
    return this.toolSpecs;
  }

  async execute(call: LlmToolCall, options: ToolCallOptions): Promise<ToolOutcome> {
    const started = performance.now();
    const done = (content: string, isError: boolean, cancelled = false): ToolOutcome => ({ content, isError, cancelled, durationMs: performance.now() - started });

    const entry = this.entries.get(call.name);
    if (!entry) {
      const names = [...this.entries.keys()];
      return done(`Unknown tool "${call.name}". ${names.length > 0 ? `The available tools are: ${names.join(', ')}.` : 'No tools are available.'}`, true);
    }
    const checked = this.validator.check(entry.declaration.inputSchema, call.input);
    if (!checked.ok) {
      return done(`Invalid input for tool "${call.name}": ${checked.problems}. Nothing was run; call it again with input that matches its schema.`, true);
    }
    if (options.signal.aborted) return done('The turn was cancelled before the tool ran.', true, true);

    const timeoutMs = entry.declaration.timeoutMs ?? options.defaultTimeoutMs;
    const outcome = await this.run(entry, call.name, checked.input, timeoutMs, options);
    if (outcome.kind === 'cancelled') return done('The turn was cancelled while the tool ran.', true, true);
    if (outcome.kind === 'timeout') return done(`Tool "${call.name}" did not finish within ${formatMs(timeoutMs)} and was stopped.`, true);
    if (outcome.kind === 'threw') {
      this.logger.warn(`tool ${call.name} failed: ${outcome.message}`, { pluginId: entry.pluginId, tool: call.name });
      return done(`Tool "${call.name}" failed: ${outcome.message}`, true);
    }
    const result = outcome.result as ToolResult | undefined;
    if (typeof result?.content !== 'string') {
      this.logger.warn(`tool ${call.name} returned no text content`, { pluginId: entry.pluginId, tool: call.name });
      return done(`Tool "${call.name}" returned no usable result (expected text content).`, true);
    }
    return done(result.content, result.isError === true);
  }

  /** Runs the tool under its own signal, which fires on timeout or when the turn is cancelled. */
  private run(entry: OfferedTool, name: string, input: unknown, timeoutMs: number, options: ToolCallOptions): Promise<RunOutcome> {
    const controller = new AbortController();
    return new Promise<RunOutcome>((resolve) => {
      const finish = (outcome: RunOutcome) => {
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onCancel);
        resolve(outcome);
      };
      const onCancel = () => {
        controller.abort(options.signal.reason);
        finish({ kind: 'cancelled' });
      };
      // The loop does not wait for a tool that ignores its signal: the model gets its answer now.
      const timer = setTimeout(() => {
        controller.abort(new Error(`tool ${name} timed out after ${timeoutMs} ms`));
        finish({ kind: 'timeout' });
      }, timeoutMs);
      options.signal.addEventListener('abort', onCancel, { once: true });
      let pending: Promise<ToolResult>;
      try {
        pending = entry.run(input, { signal: controller.signal, logger: this.logger.child({ tool: name, pluginId: entry.pluginId }), sessionId: options.sessionId });
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (result) => finish({ kind: 'returned', result }),
        (error: unknown) => finish({ kind: 'threw', message: error instanceof Error ? error.message : String(error) }),
      );
    });
  }
}

type RunOutcome =
  | { readonly kind: 'returned'; readonly result: unknown }
  | { readonly kind: 'threw'; readonly message: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'cancelled' };

/** What a source lists now; a source that fails or lists something malformed is logged and skipped. */
async function listed(source: ToolSource, name: string, pluginId: string, logger: Logger, turn: ToolSetContext): Promise<readonly ToolDeclaration[]> {
  let tools: readonly ToolDeclaration[];
  try {
    tools = await source.list({ signal: turn.signal, sessionId: turn.sessionId });
  } catch (error) {
    logger.warn(`tool source ${name} could not list its tools, so they are not offered this turn: ${(error as Error).message}`, { pluginId, toolSource: name });
    return [];
  }
  if (!Array.isArray(tools)) {
    logger.warn(`tool source ${name} listed no array of tools ({ name, description, inputSchema }), so none is offered`, { pluginId, toolSource: name });
    return [];
  }
  return tools.filter((tool: Partial<ToolDeclaration> | undefined) => {
    const ok = typeof tool?.name === 'string' && tool.name !== '' && typeof tool.description === 'string' && typeof tool.inputSchema === 'object' && tool.inputSchema !== null;
    if (!ok) logger.warn(`tool source ${name} listed a tool without a name, description and inputSchema; it is left out`, { pluginId, toolSource: name, tool: tool?.name });
    return ok;
  });
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
