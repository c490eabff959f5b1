/**
 * Everything of the plugin that loads the MCP SDK, imported dynamically (`loadHeavy`) so that a
 * gateway with only lazy servers, or none, pays nothing for MCP at start-up.
 */
export { McpCommand, type McpCommandDeps } from './mcp-command.js';
export { McpEngine } from './mcp-engine.js';
export { McpRoute } from './mcp-route.js';
