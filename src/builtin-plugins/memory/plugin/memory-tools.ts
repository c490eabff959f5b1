import type { Tool, ToolContext, ToolResult } from '@nexus/plugin-sdk';
import type { SearchMode } from '../config/index.js';
import type { GetInput, WriteInput } from '../operations/index.js';
import { MemoryPathError } from '../paths/index.js';
import type { MemoryHost } from './memory-host.js';
import type { SessionAccess } from './session-access.js';

/** The tools' shared shape: who is asking, then one engine operation, answered as JSON. */
abstract class MemoryTool<I> implements Tool<I> {
  constructor(
    protected readonly host: MemoryHost,
    protected readonly access: SessionAccess,
  ) {}

  async execute(input: I, ctx: ToolContext): Promise<ToolResult> {
    try {
      return { content: JSON.stringify(await this.answer(input, ctx)) };
    } catch (error) {
      // A refused path or a bad argument is the model's to fix; anything else is still told, not thrown.
      if (error instanceof MemoryPathError || error instanceof TypeError) return { content: error.message, isError: true };
      ctx.logger.warn(`memory tool failed: ${(error as Error).message}`, { sessionId: ctx.sessionId });
      return { content: `memory is unavailable: ${(error as Error).message}`, isError: true };
    }
  }

  protected abstract answer(input: I, ctx: ToolContext): Promise<unknown>;
}

export interface SearchToolInput {
  readonly query: string;
  readonly max_results?: number;
  readonly mode?: SearchMode;
}

/** memory_search: the mode that answered and any fallback travel with the results, so nothing degrades silently. */
export class MemorySearchTool extends MemoryTool<SearchToolInput> {
  protected async answer(input: SearchToolInput, ctx: ToolContext): Promise<unknown> {
    const [engine, who] = await Promise.all([this.host.engine(), this.access.forSession(ctx.sessionId)]);
    const response = await engine.search(input, who, ctx.signal);
    return {
      mode: response.mode,
      ...(response.fallback ? { fallback: response.fallback } : {}),
      ...(response.notes && response.notes.length > 0 ? { notes: response.notes } : {}),
      results: response.results.map((hit) => ({ file: hit.path, start_line: hit.start_line, end_line: hit.end_line, score: Number(hit.score.toFixed(4)), snippet: hit.snippet })),
    };
  }
}

/** memory_get: a cited range of a memory file; paths outside the memory files are refused. */
export class MemoryGetTool extends MemoryTool<GetInput> {
  protected async answer(input: GetInput, ctx: ToolContext): Promise<unknown> {
    const [engine, who] = await Promise.all([this.host.engine(), this.access.forSession(ctx.sessionId)]);
    return engine.get(input, who);
  }
}

/** memory_write: a note to today's file (tagged with the session) or MEMORY.md; the receipt proves where it went. */
export class MemoryWriteTool extends MemoryTool<WriteInput> {
  protected async answer(input: WriteInput, ctx: ToolContext): Promise<unknown> {
    const [engine, who] = await Promise.all([this.host.engine(), this.access.forSession(ctx.sessionId)]);
    if (input?.target === 'MEMORY.md' && !who.private) {
      throw new MemoryPathError('private', 'MEMORY.md is private memory and this is a group chat: write to the daily log instead (target "daily")');
    }
    return engine.write(input, who);
  }
}
