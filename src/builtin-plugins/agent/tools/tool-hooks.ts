import type { HookBus, LlmToolCall } from '@nexus/plugin-sdk';
import type { ToolCallOptions, ToolOutcome, ToolSet } from './tool-set.js';

/** The turn a tool call belongs to, as `tool.before` and `tool.after` handlers see it. */
export interface ToolCallScope {
  readonly sessionId: string;
  readonly agentId: string;
  readonly channel: string;
}

/**
 * One tool call with its modifying hooks around it: `tool.before` may deny the call (the model
 * gets the reason as an error result, and the tool never runs) or rewrite its input (which is
 * then validated like the model's own); `tool.after` may rewrite the result the model sees.
 * A cancelled call's result is never shown to the model, so it skips `tool.after`.
 */
export async function executeWithHooks(tools: ToolSet, hooks: HookBus, call: LlmToolCall, scope: ToolCallScope, options: ToolCallOptions): Promise<ToolOutcome> {
  // Only the turn's ids: the scope may be the whole turn, whose other fields are not the handlers' to see.
  const where = { sessionId: scope.sessionId, agentId: scope.agentId, channel: scope.channel, tool: call.name, callId: call.id };
  const before = await hooks.modify('tool.before', { ...where, input: call.input });
  if (before.deny !== undefined) return { content: `Tool "${call.name}" was not run: ${before.deny}`, isError: true, cancelled: false, durationMs: 0 };
  const outcome = await tools.execute(before.input === call.input ? call : { ...call, input: before.input }, options);
  if (outcome.cancelled) return outcome;
  const result = { content: outcome.content, isError: outcome.isError };
  const after = await hooks.modify('tool.after', { ...where, input: before.input, result });
  return after.result === result ? outcome : { ...outcome, content: after.result.content, isError: after.result.isError };
}
