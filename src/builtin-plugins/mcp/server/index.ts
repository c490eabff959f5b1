export { MAX_BODY_BYTES, McpHttpEndpoint, type AuthDecision, type McpHttpEndpointOptions } from './http-endpoint.js';
export { callerAuthInfo, createNexusMcpServer, nexusMcpServerFactory, SEND_MESSAGE_TOOL, type McpCaller, type NexusMcpServerOptions, type ServedTool, type TurnPort, type TurnReply, type TurnRequest } from './nexus-mcp-server.js';
export { serveOverStdio, type StdioServing } from './stdio-endpoint.js';
export { McpRouteEndpoint, type McpRouteEndpointOptions, type RouteCall, type RouteAnswer } from './route-endpoint.js';
export { isLoopbackAddress, rebindingProblemOf } from './rebinding-guard.js';
