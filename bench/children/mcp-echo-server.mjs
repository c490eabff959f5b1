#!/usr/bin/env node
// The MCP server both sides of the mcp-bridge-call benchmark talk to: the official SDK's
// McpServer with one `echo` tool. Imported for the in-process HTTP variant, or run as a child
// process (`node mcp-echo-server.mjs stdio`) for the stdio one.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

export function createEchoServer() {
  const server = new McpServer({ name: 'bench-echo', version: '1.0.0' });
  server.registerTool('echo', { description: 'Echoes the text back.', inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
  return server;
}

if (process.argv[2] === 'stdio') await createEchoServer().connect(new StdioServerTransport());
