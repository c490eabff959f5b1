import type { ContentBlockParam, MessageCreateParamsStreaming, MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import type { LlmMessage, LlmRequest } from '@nexus/plugin-sdk';

/** Anthropic requires `max_tokens`; this is what a request that sets none gets. */
export const DEFAULT_MAX_TOKENS = 4096;

/** An `LlmRequest` as a streaming Messages request. */
export function messagesRequest(request: LlmRequest): MessageCreateParamsStreaming {
  const params: MessageCreateParamsStreaming = {
    model: request.model,
    max_tokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    messages: request.messages.flatMap(messageParam),
    stream: true,
  };
  if (request.system) params.system = request.system;
  if (request.tools && request.tools.length > 0) params.tools = request.tools.map(tool);
  return params;
}

function tool(spec: NonNullable<LlmRequest['tools']>[number]): Tool {
  return { name: spec.name, description: spec.description, input_schema: spec.inputSchema as Tool.InputSchema };
}

/**
 * One conversation message as a Messages API message. In a user message the tool results come
 * first, as the API requires; an assistant's text comes before its tool calls. A message left
 * with no blocks is dropped, since the API rejects empty content.
 */
function messageParam(message: LlmMessage): MessageParam[] {
  const blocks: ContentBlockParam[] = [];
  if (message.role === 'user') {
    for (const part of message.content) {
      if (part.type === 'tool_result') blocks.push({ type: 'tool_result', tool_use_id: part.callId, content: part.content, ...(part.isError ? { is_error: true } : {}) });
    }
  }
  for (const part of message.content) if (part.type === 'text' && part.text !== '') blocks.push({ type: 'text', text: part.text });
  if (message.role === 'assistant') {
    for (const part of message.content) {
      if (part.type === 'tool_call') blocks.push({ type: 'tool_use', id: part.call.id, name: part.call.name, input: part.call.input ?? {} });
    }
  }
  return blocks.length === 0 ? [] : [{ role: message.role, content: blocks }];
}
