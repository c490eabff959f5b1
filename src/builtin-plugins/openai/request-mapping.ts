import type {
  ChatCompletionCreateParamsStreaming,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { LlmMessage, LlmRequest } from '@nexus/plugin-sdk';

/**
 * An `LlmRequest` as a streaming Chat Completions request. `officialApi` picks the token-limit
 * field: OpenAI's reasoning models reject `max_tokens`, while many compatible servers (older
 * vLLM, llama.cpp) know only `max_tokens`.
 */
export function chatCompletionRequest(request: LlmRequest, officialApi: boolean): ChatCompletionCreateParamsStreaming {
  const messages: ChatCompletionMessageParam[] = [];
  if (request.system) messages.push({ role: 'system', content: request.system });
  for (const message of request.messages) messages.push(...chatMessages(message));
  const params: ChatCompletionCreateParamsStreaming = {
    model: request.model,
    messages,
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.tools && request.tools.length > 0) params.tools = request.tools.map(functionTool);
  if (request.maxTokens !== undefined) {
    if (officialApi) params.max_completion_tokens = request.maxTokens;
    else params.max_tokens = request.maxTokens;
  }
  return params;
}

function functionTool(tool: NonNullable<LlmRequest['tools']>[number]): ChatCompletionFunctionTool {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.inputSchema as Record<string, unknown> } };
}

/**
 * One conversation message as Chat Completions messages. Tool results become `tool` messages and
 * come first, because they must directly follow the assistant message that made the calls.
 */
function chatMessages(message: LlmMessage): ChatCompletionMessageParam[] {
  const text = message.content.flatMap((part) => (part.type === 'text' && part.text !== '' ? [part.text] : [])).join('\n\n');
  if (message.role === 'assistant') {
    const calls = message.content.flatMap((part) => (part.type === 'tool_call' ? [part.call] : []));
    if (text === '' && calls.length === 0) return [];
    return [
      {
        role: 'assistant',
        content: text === '' ? null : text,
        ...(calls.length > 0
          ? { tool_calls: calls.map((call) => ({ id: call.id, type: 'function' as const, function: { name: call.name, arguments: JSON.stringify(call.input ?? {}) } })) }
          : {}),
      },
    ];
  }
  const out: ChatCompletionMessageParam[] = [];
  for (const part of message.content) {
    if (part.type !== 'tool_result') continue;
    // The API has no error flag for tool results; say it in the content so the model knows.
    const content = part.isError && !/^error\b/i.test(part.content) ? `Error: ${part.content}` : part.content;
    out.push({ role: 'tool', tool_call_id: part.callId, content });
  }
  if (text !== '') out.push({ role: 'user', content: text });
  return out;
}
