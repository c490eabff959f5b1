import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerSettings } from '../config/index.js';
import { McpBridgeError } from './errors.js';
import { isConnectionClosed, isRequestTimeout, isStaleSession, isUnreachable, messageOf } from './failure-kinds.js';
import type { McpSession } from './mcp-session.js';

/** What the runner needs from the connection that owns it. */
export interface RequestHost {
  current(): McpSession | undefined;
  unavailable(): McpBridgeError;
  /** The server forgot the session: replace it; resolves once the new handshake settled. */
  renew(session: McpSession, why: string): Promise<void>;
  /** The server is gone: withdraw it and reconnect with backoff. */
  drop(session: McpSession, why: string): Promise<void>;
  lossDescription(session: McpSession): string | undefined;
}

/**
 * Sends requests on the current session under request_timeout and the caller's signal, and turns
 * every failure into an `McpBridgeError` that says what happened and what to do. Nothing is ever
 * resent: a tool call may have had effects before the connection broke.
 */
export class RequestRunner {
  constructor(
    private readonly settings: McpServerSettings,
    private readonly host: RequestHost,
  ) {}

  /** Why nothing can be sent to the server right now. */
  unavailableError(): McpBridgeError {
    return this.host.unavailable();
  }

  callTool(name: string, args: Record<string, unknown>, signal?: AbortSignal): Promise<CallToolResult> {
    return this.run(`the call to tool "${name}"`, signal, (client, options) => client.callTool({ name, arguments: args }, undefined, options) as Promise<CallToolResult>);
  }

  readResource(uri: string, signal?: AbortSignal): Promise<ReadResourceResult> {
    return this.run(`reading resource ${uri}`, signal, (client, options) => client.readResource({ uri }, options));
  }

  getPrompt(name: string, args: Record<string, string>, signal?: AbortSignal): Promise<GetPromptResult> {
    return this.run(`getting prompt "${name}"`, signal, (client, options) => client.getPrompt({ name, arguments: args }, options));
  }

  async run<T>(what: string, signal: AbortSignal | undefined, request: (client: Client, options: RequestOptions) => Promise<T>): Promise<T> {
    const session = this.host.current();
    if (!session) throw this.host.unavailable();
    signal?.throwIfAborted();
    // request_timeout is the SDK's own per-request timer (it also tells the server the request
    // was cancelled); a second timer of ours would only double the work on every call.
    const timeout = this.settings.requestTimeoutMs;
    if (!signal) {
      try {
        return await request(session.client, { timeout });
      } catch (error) {
        throw await this.translate(error, session, what, undefined);
      }
    }
    // The SDK never removes its listener from the signal it is given, and would cancel a finished
    // request when that signal aborts later: so each call gets a signal of its own, tied to the caller's.
    const controller = new AbortController();
    const onCallerAbort = () => controller.abort(signal.reason);
    signal.addEventListener('abort', onCallerAbort, { once: true });
    try {
      return await request(session.client, { signal: controller.signal, timeout });
    } catch (error) {
      throw await this.translate(error, session, what, signal);
    } finally {
      signal.removeEventListener('abort', onCallerAbort);
    }
  }

  private async translate(error: unknown, session: McpSession, what: string, caller: AbortSignal | undefined): Promise<McpBridgeError> {
    const id = this.settings.id;
    const server = `MCP server "${id}"`;
    if (caller?.aborted) return new McpBridgeError('cancelled', `${what} on ${server} was cancelled`, id, { cause: error });
    if (isRequestTimeout(error)) {
      return new McpBridgeError('timeout', `${server} did not answer ${what} within ${this.settings.requestTimeoutMs} ms (request_timeout); it may still be running there`, id, { cause: error });
    }
    if (isStaleSession(error) || (isConnectionClosed(error) && session.renewal)) {
      await this.host.renew(session, 'it no longer knows this session (it restarted)');
      const ready = this.host.current() ? 'A new session is open' : 'Nexus is opening a new session';
      return new McpBridgeError('server_restarted', `${server} restarted and lost the session, so ${what} did not complete. ${ready}; ${what} was not sent again, because it may already have taken effect. Call it again if it is still needed.`, id, { cause: error });
    }
    if (isConnectionClosed(error)) {
      const loss = this.host.lossDescription(session);
      return new McpBridgeError('connection_lost', `the connection to ${server} was lost during ${what}${loss ? ` (the server ${loss})` : ''}; it was not retried. Nexus is reconnecting.`, id, { cause: error });
    }
    if (isUnreachable(error)) {
      await this.host.drop(session, `it cannot be reached: ${messageOf(error)}`);
      return new McpBridgeError('connection_lost', `${server} cannot be reached (${messageOf(error)}), so ${what} failed; it was not retried. Nexus is reconnecting.`, id, { cause: error });
    }
    return new McpBridgeError('server_error', `${server} refused ${what}: ${messageOf(error)}`, id, { cause: error });
  }
}
