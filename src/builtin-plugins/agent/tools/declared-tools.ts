import { Tools, type ContributionRegistry, type LlmToolSpec, type Logger, type ToolContext, type ToolDeclaration, type ToolResult } from '@nexus/plugin-sdk';
import type { ToolInputValidator } from './input-validator.js';

/** A tool a turn can call: what the model is told, and how to run it. */
export interface OfferedTool {
  readonly declaration: ToolDeclaration;
  readonly pluginId: string;
  /** Runs the tool: a manifest tool's plugin is loaded only now; a source's tool goes to its source. */
  readonly run: (input: unknown, context: ToolContext) => Promise<ToolResult>;
}

export interface ToolTable {
  readonly tools: ReadonlyMap<string, OfferedTool>;
  readonly specs: readonly LlmToolSpec[];
}

/**
 * The tools the manifests declare, as every turn offers them. Worked out again only when the
 * declarations change (a plugin enabled, disabled or failed): with many tools installed,
 * rebuilding the table per turn was most of what they cost a turn that calls none.
 */
export class DeclaredTools {
  private last: { readonly from: readonly ToolDeclaration[]; readonly table: ToolTable } | undefined;

  constructor(
    private readonly contributions: ContributionRegistry,
    private readonly validator: ToolInputValidator,
    private readonly logger: Logger,
  ) {}

  current(): ToolTable {
    const declarations = this.contributions.declarations(Tools);
    if (this.last?.from !== declarations) {
      const tools = new Map<string, OfferedTool>();
      for (const declared of declarations) {
        const name = declared.name;
        offerInto(tools, this.validator, this.logger, declared, declared.pluginId, async (input, context) => (await this.contributions.get(Tools, name)).execute(input, context));
      }
      // Shared by every turn until the declarations change, so frozen.
      this.last = { from: declarations, table: { tools, specs: Object.freeze(specsOf(tools)) } };
    }
    return this.last.table;
  }
}

/** Adds a tool unless its input schema does not compile, which would fail the whole model request. */
export function offerInto(tools: Map<string, OfferedTool>, validator: ToolInputValidator, logger: Logger, declaration: ToolDeclaration, pluginId: string, run: OfferedTool['run']): void {
  const problem = validator.schemaProblem(declaration.inputSchema);
  if (problem) logger.warn(`tool ${declaration.name} is left out: its inputSchema is not a valid JSON Schema: ${problem}`, { pluginId, tool: declaration.name });
  else tools.set(declaration.name, { declaration, pluginId, run });
}

/** What the model is told it can call: the declarations, as written. */
export function specsOf(tools: ReadonlyMap<string, OfferedTool>): LlmToolSpec[] {
  return [...tools.values()].map(({ declaration: { name, description, inputSchema } }) => ({ name, description, inputSchema }));
}
