import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerSettings } from '../config/index.js';
import { StdioProcessTransport } from './stdio-process-transport.js';
import type { Timers } from './timers.js';

/** One connection's transport, with what the connection reports about it. */
export interface TransportHandle {
  readonly transport: Transport;
  /** The stdio server's process id. */
  pid(): number | undefined;
  /** For a stdio server that exited: how, and the end of its stderr. */
  exitDescription(): string | undefined;
  /** The streamable-HTTP session id the server assigned, once it did. */
  sessionId(): string | undefined;
}

export function createTransport(settings: McpServerSettings, timers: Timers, onStderrLine: (line: string) => void): TransportHandle {
  if (settings.transport === 'stdio') {
    const transport = new StdioProcessTransport(settings, timers, onStderrLine);
    return {
      transport,
      pid: () => transport.pid,
      exitDescription: () => {
        const exit = transport.exitInfo;
        if (!exit) return undefined;
        const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
        const tail = transport.stderrTail();
        return tail ? `${how}; its last stderr output:\n${tail}` : how;
      },
      sessionId: () => undefined,
    };
  }
  const requestInit: RequestInit = { headers: { ...settings.headers } };
  if (settings.transport === 'sse') {
    const transport = new SSEClientTransport(new URL(settings.url), { requestInit });
    return { transport, pid: () => undefined, exitDescription: () => undefined, sessionId: () => undefined };
  }
  const transport = new StreamableHTTPClientTransport(new URL(settings.url), { requestInit });
  return { transport, pid: () => undefined, exitDescription: () => undefined, sessionId: () => transport.sessionId };
}
