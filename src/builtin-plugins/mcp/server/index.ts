export { McpHttpEndpoint, type AuthDecision, type McpHttpEndpointOptions } from './http-endpoint.js';
export { MAX_BODY_BYTES } from './json-body.js';
export { createNexusMcpServer, nexusMcpServerFactory, SEND_MESSAGE_TOOL, type NexusMcpServerOptions, type ServedTool, type TurnPort, type TurnReply, type TurnRequest } from './nexus-mcp-server.js';
export { serveOverStdio, type StdioServing } from './stdio-endpoint.js';
