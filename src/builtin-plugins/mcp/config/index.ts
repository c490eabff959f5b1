export { MCP_SECTION_SCHEMA } from './config-schema.js';
export { readMcpSettings, settingsFingerprint, type McpSettings, type ReadOptions } from './read-settings.js';
export type { HttpServerSettings, McpServerSettings, NexusMcpServerSettings, StdioServerSettings, ToolFilterSettings } from './settings.js';
export { compileToolFilter } from './tool-filter.js';
export { displayUrl } from './config-problems.js';
