/**
 * Why a bridged MCP request failed, for callers that act on it (the CLI's exit code, the
 * runtime's retry advice). Every message names the server and says what to do next.
 */
export type McpFailure =
  /** The bridge was stopped; nothing can be called any more. */
  | 'bridge_closed'
  /** No tool by that name (the list changed, or the model made it up). */
  | 'unknown_tool'
  /** The server is not connected right now (starting, reconnecting, disabled). */
  | 'server_unavailable'
  /** The connection dropped (the process exited, the socket closed) while the request ran. */
  | 'connection_lost'
  /** The HTTP server forgot the session (it restarted); a new one was opened, the request not resent. */
  | 'server_restarted'
  /** The request took longer than request_timeout. */
  | 'timeout'
  /** The caller's signal aborted the request. */
  | 'cancelled'
  /** The input is not what the tool needs (checked before anything is sent). */
  | 'invalid_input'
  /** The server answered with a JSON-RPC error. */
  | 'server_error'
  /** The server does not offer what was asked (resources, prompts). */
  | 'not_supported';

export class McpBridgeError extends Error {
  constructor(
    readonly failure: McpFailure,
    message: string,
    readonly serverId?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'McpBridgeError';
  }

  /** Whether calling again later may succeed (the model should be told so). */
  get retryable(): boolean {
    return this.failure === 'server_unavailable' || this.failure === 'connection_lost' || this.failure === 'server_restarted' || this.failure === 'timeout';
  }
}

export function isMcpBridgeError(error: unknown, failure?: McpFailure): error is McpBridgeError {
  return error instanceof McpBridgeError && (failure === undefined || error.failure === failure);
}
