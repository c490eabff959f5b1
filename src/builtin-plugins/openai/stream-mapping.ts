import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { LlmStreamEvent, LlmToolCall, LlmUsage } from '@nexus/plugin-sdk';
import { parseToolInput } from '@nexus/plugin-sdk/provider';

type StopReason = Extract<LlmStreamEvent, { type: 'done' }>['stopReason'];

const STOP_REASONS: Readonly<Record<string, StopReason>> = { stop: 'end_turn', tool_calls: 'tool_use', function_call: 'tool_use', length: 'max_tokens' };

interface PartialCall {
  id: string;
  name: string;
  args: string;
}

/**
 * Folds Chat Completions chunks into provider events. Tool calls arrive in pieces keyed by
 * `index` (id and name first, then argument fragments) and are emitted only once complete.
 */
export class ChunkAccumulator {
  private readonly calls = new Map<number, PartialCall>();
  private finishReason: string | undefined;
  private usage: LlmUsage | undefined;

  /** The text in this chunk, if any; everything else is kept for `finish`. */
  add(chunk: ChatCompletionChunk): string | undefined {
    if (chunk.usage) this.usage = { inputTokens: chunk.usage.prompt_tokens ?? 0, outputTokens: chunk.usage.completion_tokens ?? 0 };
    let text = '';
    for (const choice of chunk.choices ?? []) {
      if (choice.index !== undefined && choice.index !== 0) continue;
      const delta = choice.delta;
      if (typeof delta?.content === 'string') text += delta.content;
      for (const piece of delta?.tool_calls ?? []) {
        const call = this.calls.get(piece.index) ?? { id: '', name: '', args: '' };
        if (piece.id) call.id = piece.id;
        if (piece.function?.name) call.name += piece.function.name;
        if (piece.function?.arguments) call.args += piece.function.arguments;
        this.calls.set(piece.index, call);
      }
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
    return text === '' ? undefined : text;
  }

  /** Whether the server said the response is complete. */
  get finished(): boolean {
    return this.finishReason !== undefined;
  }

  /** The completed tool calls, usage and done, in that order. */
  finish(): LlmStreamEvent[] {
    const events: LlmStreamEvent[] = [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => ({ type: 'tool_call' as const, call: toolCall(call, index) }));
    if (this.usage) events.push({ type: 'usage', usage: this.usage });
    const stopReason = events.some((e) => e.type === 'tool_call') ? 'tool_use' : (STOP_REASONS[this.finishReason ?? ''] ?? 'other');
    events.push({ type: 'done', stopReason });
    return events;
  }
}

function toolCall(call: PartialCall, index: number): LlmToolCall {
  return { id: call.id || `call_${index}`, name: call.name, input: parseToolInput(call.args) };
}
