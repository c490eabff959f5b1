import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { McpToolSource } from '../../../src/builtin-plugins/mcp/bridge/index.js';
import { readMcpSettings } from '../../../src/builtin-plugins/mcp/config/index.js';
import { McpHttpEndpoint, nexusMcpServerFactory, type AuthDecision, type ServedTool, type TurnRequest } from '../../../src/builtin-plugins/mcp/server/index.js';
import { MemoryLogger } from '../../../src/kernel/index.js';
import { ManualTimers, isRunning, managerFor, serverSettings, waitFor } from './mcp-test-kit.js';

const stdioServer = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/nexus-stdio-server.ts');

const tools: ServedTool[] = [
  {
    name: 'add',
    description: 'Adds two numbers.',
    inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'], additionalProperties: false },
    execute: async (input) => {
      const { a, b } = input as { a: number; b: number };
      return { content: String(a + b) };
    },
  },
  { name: 'stall', description: 'Never finishes.', timeoutMs: 100, inputSchema: { type: 'object' }, execute: () => new Promise(() => undefined) },
  { name: 'internal_admin', description: 'Not for MCP clients.', inputSchema: { type: 'object' }, execute: async () => ({ content: 'secret' }) },
];

/** API keys as the gateway would check them: key → principal. */
const KEYS: Record<string, string> = { 'Bearer key-alice': 'alice', 'Bearer key-bob': 'bob' };
const authorize = async (req: { headers: Record<string, string | string[] | undefined> }): Promise<AuthDecision> => {
  const principal = KEYS[String(req.headers.authorization)];
  return principal ? { ok: true, principal } : { ok: false, message: 'an API key or JWT is required' };
};

describe("Nexus's own MCP server", () => {
  let http: Server | undefined;
  let endpoint: McpHttpEndpoint | undefined;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close().catch(() => undefined);
    await endpoint?.close();
    http?.closeAllConnections();
    http?.close();
    http = endpoint = undefined;
  });

  async function serve(settings: Record<string, unknown> = {}, timers?: ManualTimers, beforeReply?: (request: TurnRequest) => Promise<void>) {
    const turns: TurnRequest[] = [];
    const { server } = readMcpSettings({ server: { enabled: true, tools: { exclude: ['internal_*'] }, ...settings } });
    const logger = new MemoryLogger();
    const createServer_ = nexusMcpServerFactory({
      tools,
      settings: server,
      defaultToolTimeoutMs: 5000,
      version: '0.1.0',
      logger,
      turn: async (request) => {
        turns.push(request);
        await beforeReply?.(request);
        return { reply: `You said: ${request.text}`, sessionKey: request.sessionKey ?? `mcp:${request.mcpSessionId}` };
      },
    });
    endpoint = new McpHttpEndpoint({ createServer: createServer_, authorize, settings: server, logger, timers });
    const current = endpoint;
    http = createServer((req, res) => {
      if (req.url?.startsWith('/mcp')) void current.handle(req, res);
      else res.writeHead(404).end();
    });
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    return { url: new URL(`http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`), turns };
  }

  async function connect(url: URL, key = 'Bearer key-alice', headers: Record<string, string> = {}) {
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    clients.push(client);
    await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: key, ...headers } } }));
    return client;
  }

  it('lists the agent\'s tools (filtered) and send_message to the official SDK client over HTTP', async () => {
    const { url } = await serve();
    const client = await connect(url);
    expect(client.getServerVersion()).toMatchObject({ name: 'nexus', version: '0.1.0' });
    const { tools: listed } = await client.listTools();
    expect(listed.map((t) => t.name)).toEqual(['add', 'stall', 'send_message']);
    expect(await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })).toMatchObject({ content: [{ type: 'text', text: '5' }], isError: false });
  });

  it('checks tool input against the schema before running the tool', async () => {
    const { url } = await serve();
    const client = await connect(url);
    const result = await client.callTool({ name: 'add', arguments: { a: 'two' } });
    expect(result).toMatchObject({ isError: true, content: [{ text: expect.stringMatching(/Invalid input for add: .*missing the required property "b".*Nothing was run/) }] });
    expect(await client.callTool({ name: 'internal_admin', arguments: {} })).toMatchObject({ isError: true, content: [{ text: expect.stringContaining('Unknown tool "internal_admin"') }] });
    expect(await client.callTool({ name: 'stall', arguments: {} })).toMatchObject({ isError: true, content: [{ text: 'Tool "stall" did not finish within 100 ms and was stopped.' }] });
  });

  it('runs a turn through send_message, in the MCP session\'s own Nexus session unless told otherwise', async () => {
    const { url, turns } = await serve();
    const client = await connect(url);
    const first = await client.callTool({ name: 'send_message', arguments: { text: 'hello' } });
    expect(first).toMatchObject({ content: [{ type: 'text', text: 'You said: hello' }], structuredContent: { reply: 'You said: hello', session_key: expect.stringMatching(/^mcp:[0-9a-f-]{36}$/) } });
    await client.callTool({ name: 'send_message', arguments: { text: 'again', session_key: 'support-42' } });
    expect(turns.map((t) => [t.text, t.sessionKey])).toEqual([['hello', undefined], ['again', 'support-42']]);
  });

  it('streams a send_message turn\'s reply so far as progress to a client that asked for it, on the POST\'s event stream', async () => {
    let open = () => undefined as void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { url, turns } = await serve({}, undefined, async (request) => {
      request.onText?.('You');
      request.onText?.('You said');
      // The turn is still running: the client must already have what it said so far.
      await gate;
      request.onText?.('You said: stream');
    });
    const client = await connect(url);
    const seen: string[] = [];
    const result = client.callTool({ name: 'send_message', arguments: { text: 'stream' } }, undefined, {
      onprogress: ({ message }) => {
        seen.push(message ?? '');
        if (message === 'You said') open();
      },
    });
    expect(await result).toMatchObject({ structuredContent: { reply: 'You said: stream' } });
    expect(seen[0]).toBe('You');
    expect(seen).toContain('You said');
    // Without a progress token the turn gets no onText at all.
    await client.callTool({ name: 'send_message', arguments: { text: 'no progress' } });
    expect(turns.at(-1)?.onText).toBeUndefined();
  });

  it('checks the credential of the GET stream and keeps it to the session\'s caller', async () => {
    const { url } = await serve();
    const client = await connect(url);
    const transport = client.transport as StreamableHTTPClientTransport;
    const get = (authorization: string) =>
      fetch(url, { headers: { accept: 'text/event-stream', authorization, 'mcp-session-id': transport.sessionId!, 'mcp-protocol-version': transport.protocolVersion ?? '2025-06-18' } });
    expect((await get('Bearer wrong')).status).toBe(401);
    expect((await get('Bearer key-bob')).status).toBe(403);
    // The client opened the session's one GET stream after the handshake.
    expect((await get('Bearer key-alice')).status).toBe(409);
  });

  it('leaves send_message out when mcp.server.send_message is false', async () => {
    const { url } = await serve({ send_message: false });
    const client = await connect(url);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['add', 'stall']);
  });

  it('refuses a request without credentials before MCP sees it (401)', async () => {
    const { url } = await serve();
    const error = await connect(url, 'Bearer wrong').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamableHTTPError);
    expect((error as StreamableHTTPError).code).toBe(401);
    expect(String(error)).toContain('an API key or JWT is required');
    const raw = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(raw.status).toBe(401);
    expect(raw.headers.get('www-authenticate')).toBe('Bearer realm="nexus"');
    expect(endpoint!.sessionCount).toBe(0);
  });

  it('answers malformed requests with JSON-RPC errors instead of reaching MCP', async () => {
    const { url } = await serve();
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: 'Bearer key-alice', ...headers }, body });
    const notJson = await post('{"jsonrpc": ');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ jsonrpc: '2.0', error: { code: -32700, message: expect.stringContaining('Parse error') }, id: null });
    const noSession = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
    expect(noSession.status).toBe(400);
    expect(await noSession.json()).toMatchObject({ error: { message: expect.stringContaining('start with an initialize request') } });
    const unknown = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), { 'mcp-session-id': 'no-such-session' });
    expect(unknown.status).toBe(404);
  });

  it('keeps a session to the caller that opened it', async () => {
    const { url } = await serve();
    const alice = await connect(url);
    const sessionId = (alice.transport as StreamableHTTPClientTransport).sessionId!;
    const stolen = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: 'Bearer key-bob', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
    });
    expect(stolen.status).toBe(403);
    expect(await stolen.text()).toContain('belongs to another caller');
  });

  it('refuses browser origins that are not allowed, and accepts listed and same-origin ones', async () => {
    const { url } = await serve({ allowed_origins: ['https://app.example.com'] });
    const error = await connect(url, 'Bearer key-alice', { origin: 'https://evil.example' }).catch((e: unknown) => e);
    expect((error as StreamableHTTPError).code).toBe(403);
    await connect(url, 'Bearer key-alice', { origin: 'https://app.example.com' });
    await connect(url, 'Bearer key-alice', { origin: url.origin });
  });

  it('refuses a DNS-rebinding request (a foreign Host on the loopback socket) before checking credentials', async () => {
    const { url } = await serve({ allowed_hosts: ['nexus.internal'] });
    const post = (host: string, authorization = 'Bearer key-alice') =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(url, { method: 'POST', headers: { host, origin: `http://${host}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization } }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } }));
      });
    const evil = await post(`evil.example.com:${url.port}`, 'none');
    expect(evil.status).toBe(403);
    expect(evil.body).toContain('is not a name of this server');
    expect((await post(`localhost:${url.port}`)).status).toBe(200);
    expect((await post('nexus.internal')).status).toBe(200);
  });

  it('answers 503 beyond max_sessions', async () => {
    const { url } = await serve({ max_sessions: 1 });
    await connect(url);
    const error = await connect(url).catch((e: unknown) => e);
    expect((error as StreamableHTTPError).code).toBe(503);
  });

  it('closes a session left idle for session_idle_timeout, on injected time, but never one with an open stream', async () => {
    const timers = new ManualTimers();
    const { url } = await serve({ session_idle_timeout: '5m' }, timers);
    const client = await connect(url);
    const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId!;
    await client.listTools();
    // The client holds its notification stream (GET) open: the session is in use.
    timers.advance(3_600_000);
    expect(endpoint!.sessionCount).toBe(1);

    await client.close();
    await waitFor('the idle timer is set', () => timers.nextDelay() === 300_000);
    timers.advance(299_999);
    expect(endpoint!.sessionCount).toBe(1);
    timers.advance(1);
    await waitFor('the idle session is closed', () => endpoint!.sessionCount === 0);
    const late = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: 'Bearer key-alice', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(late.status).toBe(404);
  });

  it('is a server the bridge itself can use, and a restart of it gives the bridge a fresh session without a resend', async () => {
    const { url, turns } = await serve();
    const made = managerFor([serverSettings('self', { url: url.href, headers: { Authorization: 'Bearer key-alice' } })]);
    made.manager.start();
    const source = new McpToolSource(made.manager, { logger: made.logger });
    try {
      expect((await source.list()).map((t) => t.name)).toEqual(['mcp_self_add', 'mcp_self_send_message', 'mcp_self_stall']);
      expect(await source.call('mcp_self_send_message', { text: 'loop' })).toMatchObject({ content: 'You said: loop', structuredContent: { reply: 'You said: loop' } });
      // A new endpoint on the same route: every session is forgotten, as after a gateway restart.
      await endpoint!.close();
      endpoint = new McpHttpEndpoint({ createServer: nexusMcpServerFactory({ tools, settings: readMcpSettings({}).server, defaultToolTimeoutMs: 5000, version: '0.1.0', logger: made.logger, turn: async (r) => (turns.push(r), { reply: 'new', sessionKey: 'k' }) }), authorize, settings: readMcpSettings({}).server, logger: made.logger });
      const restarted = endpoint;
      http!.removeAllListeners('request');
      http!.on('request', (req, res) => void restarted.handle(req, res));
      await expect(source.call('mcp_self_send_message', { text: 'during restart' })).rejects.toMatchObject({ failure: 'server_restarted' });
      await waitFor('the bridge has a new session', () => source.status()[0]!.state === 'connected');
      expect(turns.map((t) => t.text)).toEqual(['loop']);
    } finally {
      await made.manager.stop();
    }
  });

  it('serves the same tools over stdio to the official SDK client, and exits when the client closes stdin', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: ['--import', 'jiti/register', stdioServer], stderr: 'pipe' });
    let stderr = '';
    transport.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const client = new Client({ name: 'test-client', version: '1.0.0' });
    await client.connect(transport);
    const pid = transport.pid!;
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['shout', 'send_message']);
    expect(await client.callTool({ name: 'shout', arguments: { text: 'hi' } })).toMatchObject({ content: [{ text: 'HI' }] });
    expect(await client.callTool({ name: 'send_message', arguments: { text: 'hi' } })).toMatchObject({ structuredContent: { reply: 'echo: hi', session_key: 'mcp:stdio' } });
    await client.close();
    await waitFor('the stdio server exited', async () => !(await isRunning(pid)));
    // It ended because its stdin closed, not because the SDK client had to signal it.
    expect(stderr).toContain('nexus-stdio-server: stdin closed, exiting');
  });
});
