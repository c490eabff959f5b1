export { DEFAULT_BACKOFF, backoffDelay, type BackoffSettings } from './backoff.js';
export { ConnectionManager, type ConnectionManagerOptions, type ReloadResult } from './connection-manager.js';
export { McpBridgeError, isMcpBridgeError, type McpFailure } from './errors.js';
export type { Catalog } from './mcp-session.js';
export { KILL_GRACE_MS, ProcessGroup, type ExitInfo } from './process-group.js';
export type { RequestRunner } from './request-runner.js';
export { ServerConnection, type ConnectionState, type ServerStatus } from './server-connection.js';
export { sleep, systemTimers, timeoutSignal, type TimerHandle, type Timers } from './timers.js';
