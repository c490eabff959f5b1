import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  AuthError,
  CliCommands,
  CredentialVerifierToken,
  DoctorChecks,
  HttpServerToken,
  ToolSources,
  TurnServiceToken,
  type CliCommandContext,
  type CredentialVerifier,
  type PluginTurnRequest,
  type PresentedCredentials,
  type TurnService,
} from '@nexus/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { configFromData } from '../../../src/kernel/index.js';
import { openTestKernel, type TestKernel } from '../../../src/kernel/testing/create-test-kernel.js';
import { gatewaySettingsPlugin, httpPluginDir, onCleanup } from '../http/http-test-kit.js';
import { fixtureServer, isRunning, waitFor } from './mcp-test-kit.js';

const mcpPluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/mcp');

/** Credentials as the gateway checks them once some exist: alice is a user, root an admin. */
const verifier: CredentialVerifier = {
  async required() {
    return true;
  },
  async verify(credentials: PresentedCredentials) {
    if (credentials.authorization === 'Bearer alice-key') return { userId: 'alice', via: 'api_key', role: 'user' };
    if (credentials.authorization === 'Bearer root-key') return { userId: 'root', via: 'api_key', role: 'admin' };
    throw new AuthError('unauthenticated', 'a valid bearer token or x-api-key is required');
  },
};

/** The gateway's TurnService as far as the plugin sees it: records the turn, answers at once. */
function recordingTurns(): { service: TurnService; turns: PluginTurnRequest[] } {
  const turns: PluginTurnRequest[] = [];
  const service: TurnService = {
    async run(request) {
      turns.push(request);
      const key = 'key' in request.session ? request.session.key : `main:${request.session.channel}:${request.session.conversationId}`;
      return { status: 'done', sessionId: 's1', sessionKey: key, text: `you said: ${request.message}` };
    },
    async appendSystemEvent() {
      throw new Error('not used');
    },
  };
  return { service, turns };
}

const fixture = (extra: Record<string, unknown> = {}) => ({ command: process.execPath, args: [fixtureServer], connect_timeout: '20s', request_timeout: '10s', ...extra });

interface Started {
  readonly kernel: ReturnType<typeof openTestKernel>['kernel'];
  readonly test: TestKernel;
  readonly url: string;
  /** The plugin folders loaded alongside, for a reload's config. */
  readonly withDirs: readonly string[];
}

async function start(mcp: Record<string, unknown>, options: { turns?: TurnService; http?: boolean } = {}): Promise<Started> {
  const services: [symbol, unknown][] = [[CredentialVerifierToken, verifier]];
  if (options.turns) services.push([TurnServiceToken, options.turns]);
  const withDirs = options.http === false ? [gatewaySettingsPlugin()] : [httpPluginDir, gatewaySettingsPlugin()];
  const opened = openTestKernel({
    plugin: mcpPluginDir,
    with: withDirs,
    settings: { server: { host: '127.0.0.1', http_port: 0 }, mcp },
    services,
  });
  onCleanup(() => opened.test.stop());
  await opened.kernel.start();
  const url = options.http === false ? '' : ((await opened.test.services.get(HttpServerToken)).address()?.url ?? '');
  return { ...opened, url, withDirs };
}

function cliContext(subcommand: string, args: Record<string, unknown> = {}, options: Record<string, unknown> = {}): CliCommandContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { subcommand, args: args as never, options: { json: false, ...options } as never, configPath: undefined, signal: AbortSignal.timeout(30_000), stdout: (t) => out.push(t), stderr: (t) => err.push(t), out, err };
}

async function pidOf(test: TestKernel, tool: string): Promise<number> {
  const source = await test.contributions.get(ToolSources, 'mcp');
  await source.list({ signal: AbortSignal.timeout(20_000) });
  return Number((await source.call(tool, {}, { signal: AbortSignal.timeout(10_000), logger: undefined as never })).content);
}

describe('the mcp plugin', { timeout: 60_000 }, () => {
  const clients: Client[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close().catch(() => undefined);
  });

  it('is not even imported when mcp is not configured', async () => {
    const { test } = await start({}, { http: false });
    expect(test.summary()).toMatchObject({ enabled: false });
    expect(test.contributions.names(ToolSources)).toEqual([]);
  });

  it('is enabled by mcp.server.enabled: true alone (a boolean condition)', async () => {
    const { test } = await start({ server: { enabled: true } }, { http: false });
    expect(test.summary()).toMatchObject({ enabled: true, state: 'active' });
  });

  it("offers the servers' tools as the mcp tool source and calls them", async () => {
    const { test } = await start({ servers: { fx: fixture() } }, { http: false });
    const source = await test.contributions.get(ToolSources, 'mcp');
    const names = (await source.list({ signal: AbortSignal.timeout(20_000) })).map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['mcp_fx_echo', 'mcp_fx_pid']));
    const result = await source.call('mcp_fx_echo', { text: 'hi there' }, { signal: AbortSignal.timeout(10_000), logger: undefined as never });
    expect(result).toMatchObject({ content: 'hi there', isError: false });
  });

  it('stops its server processes when the kernel stops', async () => {
    const { test } = await start({ servers: { fx: fixture() } }, { http: false });
    const pid = await pidOf(test, 'mcp_fx_pid');
    expect(await isRunning(pid)).toBe(true);
    await test.stop();
    await waitFor('the MCP server process to end', async () => !(await isRunning(pid)));
  });

  it('a reload restarts only the server whose settings changed', async () => {
    const { kernel, test, withDirs } = await start({ servers: { keep: fixture(), change: fixture() } }, { http: false });
    await (await test.contributions.get(ToolSources, 'mcp')).list({ signal: AbortSignal.timeout(20_000) });
    const keepPid = await pidOf(test, 'mcp_keep_pid');
    const changePid = await pidOf(test, 'mcp_change_pid');
    const report = await kernel.reconfigure(
      configFromData({
        server: { host: '127.0.0.1', http_port: 0 },
        mcp: { servers: { keep: fixture(), change: fixture({ request_timeout: '9s' }) } },
        plugins: { load: { paths: [...withDirs] }, entries: { mcp: { path: join(mcpPluginDir, 'nexus.plugin.json') } } },
      }),
    );
    expect(report, JSON.stringify(report)).toMatchObject({ applied: true });
    const source = await test.contributions.get(ToolSources, 'mcp');
    await source.list({ signal: AbortSignal.timeout(20_000) });
    expect(await pidOf(test, 'mcp_keep_pid')).toBe(keepPid);
    const newPid = await pidOf(test, 'mcp_change_pid');
    expect(newPid).not.toBe(changePid);
    await waitFor('the changed server\'s old process to end', async () => !(await isRunning(changePid)));
    expect(test.logs.find((entry) => entry.msg === 'MCP servers reloaded')?.fields).toMatchObject({ restarted: ['change'], unchanged: ['keep'], added: [], removed: [] });
  });

  it('a reload that removes every server disables the plugin, and its server processes end (after the hand-over grace)', async () => {
    const { kernel, test, withDirs } = await start({ servers: { fx: fixture() } }, { http: false });
    const pid = await pidOf(test, 'mcp_fx_pid');
    const report = await kernel.reconfigure(
      configFromData({ server: { host: '127.0.0.1', http_port: 0 }, plugins: { load: { paths: [...withDirs] }, entries: { mcp: { path: join(mcpPluginDir, 'nexus.plugin.json') } } } }),
    );
    expect(report, JSON.stringify(report)).toMatchObject({ applied: true });
    expect(test.summary()).toMatchObject({ enabled: false });
    await waitFor('the MCP server process to end', async () => !(await isRunning(pid)), 20_000);
  });

  it('doctor: located config findings, and --probe lists each server\'s tools', async () => {
    const { test } = await start({ servers: { fx: fixture(), broken: { command: 'x', url: 'http://127.0.0.1:1/mcp' }, gone: { command: '/nonexistent/mcp-server', connect_timeout: '5s' } } }, { http: false });
    const config = await test.contributions.get(DoctorChecks, 'mcp-config');
    const findings = await config.run({ signal: AbortSignal.timeout(5000), probe: false });
    expect(findings).toEqual([expect.objectContaining({ level: 'error', message: expect.stringContaining('/mcp/servers/broken') })]);
    const probe = await test.contributions.get(DoctorChecks, 'mcp-probe');
    expect(await probe.run({ signal: AbortSignal.timeout(5000), probe: false })).toEqual([{ level: 'info', message: '2 MCP server(s) not contacted (run doctor with --probe)' }]);
    const probed = await probe.run({ signal: AbortSignal.timeout(30_000), probe: true });
    expect(probed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'info', message: expect.stringMatching(/^MCP server fx: connected to fixture 1\.0\.0, \d+ tool\(s\): .*echo/) }),
        expect.objectContaining({ level: 'error', message: expect.stringContaining('MCP server gone (stdio) did not connect') }),
      ]),
    );
  });

  it('nexus mcp list / tools / call', async () => {
    const { test } = await start({ servers: { fx: fixture(), off: { url: 'https://user:pw@example.com/mcp', enabled: false } } }, { http: false });
    const command = await test.contributions.get(CliCommands, 'mcp');
    const list = cliContext('list');
    expect(await command.run(list)).toBe(0);
    expect(list.out.join('')).toContain('fx');
    expect(list.out.join('')).toContain('https://(credentials withheld)@example.com/mcp');
    expect(list.out.join('')).not.toContain('pw@');

    const tools = cliContext('tools', { server: 'fx' }, { json: true });
    expect(await command.run(tools)).toBe(0);
    expect(JSON.parse(tools.out.join(''))).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'mcp_fx_echo', server: 'fx', tool: 'echo' })]));

    const call = cliContext('call', { server: 'fx', tool: 'echo' }, { input: '{"text":"ping"}' });
    expect(await command.run(call)).toBe(0);
    expect(call.out.join('')).toBe('ping\n');
    const bad = cliContext('call', { server: 'nope', tool: 'echo' });
    await expect(command.run(bad)).rejects.toThrow('there is no MCP server "nope" under mcp.servers (there are: fx, off)');
  });

  it('serves /mcp behind the gateway auth: no credential is refused, a user gets the tools and send_message runs a turn', async () => {
    const { service, turns } = recordingTurns();
    const { url } = await start({ server: { enabled: true } }, { turns: service });
    const refused = new Client({ name: 'test', version: '1' });
    await expect(refused.connect(new StreamableHTTPClientTransport(new URL('/mcp', url)))).rejects.toBeInstanceOf(StreamableHTTPError);

    const client = new Client({ name: 'test', version: '1' });
    clients.push(client);
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', url), { requestInit: { headers: { authorization: 'Bearer alice-key' } } }));
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toContain('send_message');
    expect(names.some((name) => name.startsWith('mcp_'))).toBe(false);
    const reply = await client.callTool({ name: 'send_message', arguments: { text: 'hello' } });
    expect(reply.structuredContent).toMatchObject({ reply: 'you said: hello', session_key: expect.stringMatching(/^main:mcp:alice:/) });
    expect(turns[0]).toMatchObject({ message: 'hello', ownerId: 'alice', session: { channel: 'mcp', conversationId: expect.stringMatching(/^alice:/) } });
    const other = await client.callTool({ name: 'send_message', arguments: { text: 'sneaky', session_key: 'main:telegram:42' } });
    expect(other.isError).toBe(true);
    expect(turns).toHaveLength(1);
  });

  it('answers /mcp 404 while mcp.server.enabled is false, and /mcp/status to admins only', async () => {
    const { url } = await start({ servers: { fx: fixture({ start: 'lazy' }) } });
    const off = await fetch(new URL('/mcp', url), { method: 'POST', headers: { authorization: 'Bearer root-key', 'content-type': 'application/json' }, body: '{}' });
    expect(off.status).toBe(404);
    expect(await off.text()).toContain('mcp.server.enabled');
    const user = await fetch(new URL('/mcp/status', url), { headers: { authorization: 'Bearer alice-key' } });
    expect(user.status).toBe(403);
    const admin = await fetch(new URL('/mcp/status', url), { headers: { authorization: 'Bearer root-key' } });
    expect(admin.status).toBe(200);
    expect(await admin.json()).toEqual({ servers: [expect.objectContaining({ id: 'fx', transport: 'stdio', start: 'lazy', state: 'idle' })], nexusServer: { enabled: false, sessions: 0 } });
    const anonymous = await fetch(new URL('/mcp/status', url));
    expect(anonymous.status).toBe(401);
  });
});
