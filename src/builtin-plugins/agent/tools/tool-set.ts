import {
  Tools,
  type ContributionRegistry,
  type LlmToolCall,
  type LlmToolSpec,
  type Logger,
  type Tool,
  type ToolResult,
} from '@nexus/plugin-sdk';
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

interface Entry {
  readonly tool: Tool;
  readonly pluginId: string;
}

/**
 * The tools one turn can call: every `Tools` contribution whose input schema compiles. Every way
 * a call can go wrong (unknown tool, bad input, a throw, a timeout, a malformed result) becomes
 * an error result the model reads and can act on; only cancelling the turn stops the loop.
 */
export class ToolSet {
  private constructor(
    private readonly entries: ReadonlyMap<string, Entry>,
    private readonly validator: ToolInputValidator,
    private readonly logger: Logger,
  ) {}

  static async load(contributions: ContributionRegistry, validator: ToolInputValidator, logger: Logger): Promise<ToolSet> {
    const entries = new Map<string, Entry>();
    for (const { name, pluginId, value } of await contributions.getAll(Tools)) {
      const problem = typeof value?.execute !== 'function' ? 'it has no execute()' : validator.schemaProblem(value.inputSchema ?? {});
      if (problem) {
        // Sending a broken schema to the provider would fail the whole request, not just this tool.
        logger.warn(`tool ${name} is left out: ${problem}`, { pluginId, tool: name });
        continue;
      }
      entries.set(name, { tool: value, pluginId });
    }
    return new ToolSet(entries, validator, logger);
  }

  get size(): number {
    return this.entries.size;
  }

  /** What the model is told it can call. The contributed name is authoritative. */
  specs(): LlmToolSpec[] {
    return [...this.entries].map(([name, { tool }]) => ({ name, description: tool.description ?? '', inputSchema: tool.inputSchema ?? {} }));
  }

  async execute(call: LlmToolCall, options: ToolCallOptions): Promise<ToolOutcome> {
    const started = performance.now();
    const done = (content: string, isError: boolean, cancelled = false): ToolOutcome => ({ content, isError, cancelled, durationMs: performance.now() - started });

    const entry = this.entries.get(call.name);
    if (!entry) {
      const names = [...this.entries.keys()];
      return done(`Unknown tool "${call.name}". ${names.length > 0 ? `The available tools are: ${names.join(', ')}.` : 'No tools are available.'}`, true);
    }
    const checked = this.validator.check(entry.tool.inputSchema ?? {}, call.input);
    if (!checked.ok) {
      return done(`Invalid input for tool "${call.name}": ${checked.problems}. Nothing was run; call it again with input that matches its schema.`, true);
    }
    if (options.signal.aborted) return done('The turn was cancelled before the tool ran.', true, true);

    const timeoutMs = entry.tool.timeoutMs ?? options.defaultTimeoutMs;
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
  private run(entry: Entry, name: string, input: unknown, timeoutMs: number, options: ToolCallOptions): Promise<RunOutcome> {
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
        pending = Promise.resolve(entry.tool.execute(input, { signal: controller.signal, logger: this.logger.child({ tool: name, pluginId: entry.pluginId }), sessionId: options.sessionId }));
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

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
