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

  it('nexus mcp serve --stdio offers the agent tools of the enabled plugins to an MCP client that starts it', async () => {
    const nexus = nexusInstance({ mcp: { server: { enabled: true } }, plugins: { load: { paths: [join(repoRoot, 'examples/plugins/echo')] } } });
    const client = new Client({ name: 'e2e', version: '1' });
    const transport = new StdioClientTransport({ command: process.execPath, args: [cliMain, '--config', nexus.configPath, 'mcp', 'serve', '--stdio'], env: childEnv(nexus.home) as Record<string, string>, stderr: 'pipe' });
    await client.connect(transport);
    onCleanup(() => client.close());
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('echo');
    const result = await client.callTool({ name: 'echo', arguments: { text: 'over stdio' } });
    expect(result.isError).toBe(false);
    expect(JSON.stringify(result.content)).toContain('over stdio');
    await client.close();
  });
});
