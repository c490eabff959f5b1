import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';

/**
 * The HTTP server no longer knows our session: the spec's answer is 404 to a request carrying
 * an unknown Mcp-Session-Id. Servers built from the SDK's examples answer 400 "No valid session
 * ID" instead, so a 400 that talks about the session counts too.
 */
export function isStaleSession(error: unknown): boolean {
  if (!(error instanceof StreamableHTTPError)) return false;
  if (error.code === 404) return true;
  return error.code === 400 && /session/i.test(error.message);
}

/** The connection is gone: the SDK closed it, or the transport can no longer send. */
export function isConnectionClosed(error: unknown): boolean {
  if (error instanceof McpError) return error.code === ErrorCode.ConnectionClosed;
  return error instanceof Error && error.message === 'Not connected';
}

export function isRequestTimeout(error: unknown): boolean {
  return error instanceof McpError && error.code === ErrorCode.RequestTimeout;
}

/** fetch could not reach the server at all (refused, reset, DNS): the server is down. */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof TypeError && /fetch failed|terminated/i.test(error.message)) return true;
  const code = (error.cause as NodeJS.ErrnoException | undefined)?.code ?? (error as NodeJS.ErrnoException).code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET';
}

export function messageOf(error: unknown): string {
  if (error instanceof McpError) return error.message.replace(/^MCP error -?\d+: /, '');
  return error instanceof Error ? error.message : String(error);
}
