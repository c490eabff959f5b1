import type { Attachment, ToolResult } from '@nexus/plugin-sdk';
import type { GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { ContentRenderer, type RenderOptions } from './content-blocks.js';

/** What a bridged call returns: the SDK's `ToolResult`, plus what MCP adds to it. */
export interface McpToolResult extends ToolResult {
  readonly isError: boolean;
  /** Images, audio and binary resources, when the caller said it can carry them. */
  readonly attachments?: readonly Attachment[];
  /** The tool's structured output, as the server sent it. */
  readonly structuredContent?: Readonly<Record<string, unknown>>;
}

interface CallResultLike {
  content?: readonly { type: string }[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
  /** Protocol 2024-10-07 servers answered with this instead of content. */
  toolResult?: unknown;
}

/**
 * A `tools/call` result for the agent. Text is joined; binary parts become attachments or notes;
 * `isError` is kept. Structured content travels as is, and when the server sent no text (the spec
 * asks servers to also send it as text, not all do) its JSON becomes the text the model reads.
 */
export function toToolResult(result: CallResultLike, options: RenderOptions): McpToolResult {
  const renderer = new ContentRenderer(options);
  for (const block of result.content ?? []) renderer.add(block);
  const hasText = (result.content ?? []).some((block) => block.type === 'text');
  if (!hasText && result.structuredContent !== undefined) renderer.note(JSON.stringify(result.structuredContent, null, 2));
  if (result.content === undefined && result.toolResult !== undefined) renderer.note(JSON.stringify(result.toolResult, null, 2));
  const { text, attachments } = renderer.result();
  return {
    content: text === '' ? '(the tool returned no content)' : text,
    isError: result.isError === true,
    ...(attachments.length > 0 ? { attachments } : {}),
    ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
  };
}

export function resourceToToolResult(result: ReadResourceResult, options: RenderOptions): McpToolResult {
  const renderer = new ContentRenderer(options);
  for (const contents of result.contents) renderer.resource(contents);
  const { text, attachments } = renderer.result();
  return { content: text === '' ? '(the resource is empty)' : text, isError: false, ...(attachments.length > 0 ? { attachments } : {}) };
}

export function promptToToolResult(result: GetPromptResult, options: RenderOptions): McpToolResult {
  const renderer = new ContentRenderer(options);
  if (result.description) renderer.note(result.description);
  for (const message of result.messages) {
    renderer.note(`--- ${message.role} ---`);
    renderer.add(message.content);
  }
  const { text, attachments } = renderer.result();
  return { content: text, isError: false, ...(attachments.length > 0 ? { attachments } : {}) };
}
