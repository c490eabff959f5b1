import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { LlmStreamEvent, LlmToolCall } from '@nexus/plugin-sdk';
import { parseToolInput } from '@nexus/plugin-sdk/provider';

type StopReason = Extract<LlmStreamEvent, { type: 'done' }>['stopReason'];

const STOP_REASONS: Readonly<Record<string, StopReason>> = { end_turn: 'end_turn', stop_sequence: 'end_turn', tool_use: 'tool_use', max_tokens: 'max_tokens' };

/**
 * Folds Messages stream events into provider events: text deltas go out at once; a tool_use
 * block's input JSON is collected until its content_block_stop; usage comes from message_start
 * (input) and message_delta (output); done waits for message_stop.
 */
export class EventAccumulator {
  private readonly tools = new Map<number, { id: string; name: string; json: string }>();
  private inputTokens = 0;
  private outputTokens = 0;
  private stopReason: string | undefined;
  private stopped = false;

  /** The events this stream event completes (often none). */
  add(event: RawMessageStreamEvent): LlmStreamEvent[] {
    switch (event.type) {
      case 'message_start':
        this.inputTokens = event.message.usage?.input_tokens ?? 0;
        this.outputTokens = event.message.usage?.output_tokens ?? 0;
        return [];
      case 'content_block_start':
        if (event.content_block.type === 'tool_use') this.tools.set(event.index, { id: event.content_block.id, name: event.content_block.name, json: '' });
        return [];
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') return event.delta.text === '' ? [] : [{ type: 'text_delta', text: event.delta.text }];
        if (event.delta.type === 'input_json_delta') {
          const tool = this.tools.get(event.index);
          if (tool) tool.json += event.delta.partial_json;
        }
        return [];
      case 'content_block_stop': {
        const tool = this.tools.get(event.index);
        if (!tool) return [];
        this.tools.delete(event.index);
        return [{ type: 'tool_call', call: toolCall(tool) }];
      }
      case 'message_delta':
        if (event.delta.stop_reason) this.stopReason = event.delta.stop_reason;
        if (typeof event.usage?.output_tokens === 'number') this.outputTokens = event.usage.output_tokens;
        if (typeof event.usage?.input_tokens === 'number') this.inputTokens = event.usage.input_tokens;
        return [];
      case 'message_stop':
        this.stopped = true;
        return [];
      default:
        return [];
    }
  }

  /** Whether message_stop arrived. */
  get finished(): boolean {
    return this.stopped;
  }

  finish(): LlmStreamEvent[] {
    return [
      { type: 'usage', usage: { inputTokens: this.inputTokens, outputTokens: this.outputTokens } },
      { type: 'done', stopReason: STOP_REASONS[this.stopReason ?? ''] ?? 'other' },
    ];
  }
}

function toolCall(tool: { id: string; name: string; json: string }): LlmToolCall {
  return { id: tool.id, name: tool.name, input: parseToolInput(tool.json) };
}
