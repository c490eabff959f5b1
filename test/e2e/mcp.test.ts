import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, textReply, toolCallReply } from '../fixtures/llm-servers/index.js';
import { childEnv, cliMain, fakeLlm, nexusInstance, onCleanup, openStream, repoRoot, sentToModel } from './serve-harness.js';

const fixtureServer = join(import.meta.dirname, '../builtin-plugins/mcp/fixtures/fixture-stdio-server.mjs');
const fixture = { command: process.execPath, args: [fixtureServer], connect_timeout: '20s' };

describe('e2e: the mcp plugin in nexus serve', { timeout: 120_000 }, () => {
  it('a turn in which the model calls an MCP tool gets its result; nexus mcp status asks the gateway; /mcp needs the API key', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(toolCallReply([{ name: 'mcp_fx_echo', input: { text: 'from the MCP server' } }]), textReply('the tool answered'));
    const nexus = nexusInstance({ llm: fakeLlm(llm), mcp: { servers: { fx: fixture, later: { ...fixture, start: 'lazy' } }, server: { enabled: true } } });
    const { key } = await nexus.createApiKey('ada');
    const server = await nexus.serve();

    const stream = openStream(server.target, { apiKey: key });
    onCleanup(() => stream.close());
    stream.send('please use the echo tool');
    const [end] = await stream.turnEnds(1, 60_000);
    expect(end).toMatchObject({ $case: 'messageComplete', value: { message: { content: 'the tool answered' } } });
    expect(sentToModel(llm, 0)).toContain('mcp_fx_echo');
    // The second model call carries the tool's result.
    expect(sentToModel(llm, 1)).toContain('from the MCP server');

    const status = await nexus.cli(['mcp', 'status', '--url', server.httpUrl, '--api-key', key, '--json']);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as { servers: { id: string; state: string }[]; nexusServer: { enabled: boolean } };
    expect(report.servers.map((s) => [s.id, s.state])).toEqual([
      ['fx', 'connected'],
      ['later', 'connected'],
    ]);
    expect(report.nexusServer.enabled).toBe(true);

    const refused = new Client({ name: 'e2e', version: '1' });
    await expect(refused.connect(new StreamableHTTPClientTransport(new URL('/mcp', server.httpUrl)))).rejects.toBeInstanceOf(StreamableHTTPError);
    const client = new Client({ name: 'e2e', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', server.httpUrl), { requestInit: { headers: { 'x-api-key': key } } }));
    onCleanup(() => client.close());
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    // The agent's own tools, never the bridged ones.
    expect(names.some((name) => name.startsWith('mcp_'))).toBe(false);
    await client.close();

    expect(await server.stop()).toEqual({ code: 0, signal: null });
    const after = await nexus.cli(['mcp', 'status']);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('no gateway is running');
  });

  it('nexus mcp serve --stdio offers the agent tools of the enabled plugins, and send_message, to an MCP client that starts it', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('answered over stdio'));
    const nexus = nexusInstance({ llm: fakeLlm(llm), mcp: { server: { enabled: true } }, plugins: { load: { paths: [join(repoRoot, 'examples/plugins/echo')] } } });
    const client = new Client({ name: 'e2e', version: '1' });
    const transport = new StdioClientTransport({ command: process.execPath, args: [cliMain, '--config', nexus.configPath, 'mcp', 'serve', '--stdio'], env: childEnv(nexus.home) as Record<string, string>, stderr: 'pipe' });
    await client.connect(transport);
    onCleanup(() => client.close());
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'send_message']));
    const result = await client.callTool({ name: 'echo', arguments: { text: 'over stdio' } });
    expect(result.isError).toBe(false);
    expect(JSON.stringify(result.content)).toContain('over stdio');
    const turn = await client.callTool({ name: 'send_message', arguments: { text: 'hi from a local client' } });
    expect(turn.structuredContent).toEqual({ reply: 'answered over stdio', session_key: expect.stringMatching(/^main:mcp:operator:stdio/) });
    await client.close();
  });

  it('send_message over /mcp runs a real turn through the gateway and continues the session it returns', async () => {
    await using llm = await startFakeOpenAI();
    llm.push(textReply('first answer'), textReply('second answer'));
    const nexus = nexusInstance({ llm: fakeLlm(llm), mcp: { server: { enabled: true } } });
    const { key } = await nexus.createApiKey('ada');
    const server = await nexus.serve();
    const client = new Client({ name: 'e2e', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', server.httpUrl), { requestInit: { headers: { 'x-api-key': key } } }));
    onCleanup(() => client.close());
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('send_message');

    const first = await client.callTool({ name: 'send_message', arguments: { text: 'hello over MCP' } });
    expect(first.isError).not.toBe(true);
    const { reply, session_key } = first.structuredContent as { reply: string; session_key: string };
    expect(reply).toBe('first answer');
    expect(session_key).toMatch(/^main:mcp:ada:/);
    const second = await client.callTool({ name: 'send_message', arguments: { text: 'and again', session_key } });
    expect(second.structuredContent).toEqual({ reply: 'second answer', session_key });
    // The second turn saw the first one's history.
    expect(sentToModel(llm, 1)).toContain('hello over MCP');
    await client.close();
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });

  it('/mcp streams: send_message reports the reply so far as progress while the turn runs, past the HTTP request deadline; the GET stream is offered and needs the credential too', async () => {
    await using llm = await startFakeOpenAI();
    // Three pieces 700 ms apart: the turn outlasts the HTTP server's 1 s request deadline.
    llm.push({ ...textReply('one ', 'two ', 'three'), chunkDelayMs: 700 });
    const nexus = nexusInstance({ llm: fakeLlm(llm), mcp: { server: { enabled: true } }, plugins: { entries: { http: { config: { request_timeout_ms: 1000 } } } } });
    const { key } = await nexus.createApiKey('ada');
    const server = await nexus.serve();
    const url = new URL('/mcp', server.httpUrl);
    const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { 'x-api-key': key } } });
    const client = new Client({ name: 'e2e', version: '1' });
    await client.connect(transport);
    onCleanup(() => client.close());

    const progress: string[] = [];
    const started = Date.now();
    const result = await client.callTool({ name: 'send_message', arguments: { text: 'take your time' } }, undefined, { onprogress: ({ message }) => progress.push(message ?? '') });
    expect(Date.now() - started).toBeGreaterThan(1000);
    expect(result.structuredContent).toMatchObject({ reply: 'one two three' });
    // The reply grew while the turn ran: every report is a longer prefix of the final reply.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]).toBe('one ');
    for (const [i, text] of progress.entries()) {
      expect('one two three'.startsWith(text)).toBe(true);
      if (i > 0) expect(text.length).toBeGreaterThan(progress[i - 1]!.length);
    }

    // The client opened the session's GET stream after the handshake, so a second one is refused (409);
    // without the credential the gateway refuses it before MCP sees it.
    const headers = { accept: 'text/event-stream', 'mcp-session-id': transport.sessionId!, 'mcp-protocol-version': transport.protocolVersion ?? '2025-06-18' };
    expect((await fetch(url, { headers: { ...headers, 'x-api-key': key } })).status).toBe(409);
    expect((await fetch(url, { headers })).status).toBe(401);
    await client.close();
    // Without the client's stream a GET opens one: an event stream. The server learns of the
    // closed stream when its socket ends, a moment after close() returns: until then it is 409.
    let get = await fetch(url, { headers: { ...headers, 'x-api-key': key }, signal: AbortSignal.timeout(10_000) });
    for (const deadline = Date.now() + 5_000; get.status === 409 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      get = await fetch(url, { headers: { ...headers, 'x-api-key': key }, signal: AbortSignal.timeout(10_000) });
    }
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('text/event-stream');
    await get.body!.cancel();
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });

  it('nexus doctor --probe connects to each enabled MCP server and lists its tools; without --probe it connects to none', async () => {
    const nexus = nexusInstance({ mcp: { servers: { fx: fixture } } });
    const quiet = await nexus.cli(['doctor']);
    expect(quiet.stdout).toContain('1 MCP server(s) not contacted (run doctor with --probe)');
    const probed = await nexus.cli(['doctor', '--probe']);
    expect(probed.stdout).toMatch(/MCP server fx: connected to fixture 1\.0\.0, \d+ tool\(s\): .*echo/);
  });
});
