import type { Readable, Writable } from 'node:stream';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

export interface StdioServing {
  /** Settles when the client closed stdin (or `close` was called). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves an MCP server over stdio (`nexus mcp serve --stdio`). The session ends when the client
 * closes our stdin, the way a client ends any stdio server; the SDK transport does not notice
 * that by itself.
 */
export async function serveOverStdio(server: McpServer, io: { stdin: Readable; stdout: Writable } = { stdin: process.stdin, stdout: process.stdout }): Promise<StdioServing> {
  const transport = new StdioServerTransport(io.stdin, io.stdout);
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  const close = async () => {
    io.stdin.off('end', onEnd);
    await server.close().catch(() => undefined);
    resolveClosed();
  };
  const onEnd = () => void close();
  io.stdin.once('end', onEnd);
  await server.connect(transport);
  return { closed, close };
}
