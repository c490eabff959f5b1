export { restoreArgumentNames } from './argument-names.js';
export { GET_PROMPT_TOOL, READ_RESOURCE_TOOL, type ToolDescriptor } from './generic-tools.js';
export { normaliseInputSchema, type NormalisedSchema, type SchemaCheck } from './input-schema.js';
export { McpToolSource, type CallContext, type ListContext, type McpToolListing, type McpToolSourceOptions } from './mcp-tool-source.js';
export { baseToolName, isProviderSafeToolName, MAX_TOOL_NAME, sanitizeNamePart, ToolNameAllocator } from './tool-names.js';
export { promptToToolResult, resourceToToolResult, toToolResult, type McpToolResult } from './tool-result.js';
