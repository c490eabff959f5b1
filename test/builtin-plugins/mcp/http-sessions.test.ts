import { afterEach, describe, expect, it } from 'vitest';
import { McpToolSource } from '../../../src/builtin-plugins/mcp/bridge/index.js';
import type { ConnectionManager, McpBridgeError } from '../../../src/builtin-plugins/mcp/connections/index.js';
import { HttpFixtureServer } from './fixtures/http-fixture-server.js';
import { managerFor, serverSettings, waitFor } from './mcp-test-kit.js';

describe('streamable-HTTP MCP servers', () => {
  let manager: ConnectionManager | undefined;
  let fixture: HttpFixtureServer | undefined;
  afterEach(async () => {
    await manager?.stop();
    await fixture?.stop();
    manager = fixture = undefined;
  });

  async function connect(options: ConstructorParameters<typeof HttpFixtureServer>[0] = {}, entry: Record<string, unknown> = {}) {
    fixture = new HttpFixtureServer(options);
    await fixture.start();
    const made = managerFor([serverSettings('web', { url: fixture.url, request_timeout: '5s', connect_timeout: '5s', ...entry })]);
    manager = made.manager;
    manager.start();
    const source = new McpToolSource(manager, { logger: made.logger });
    await source.list();
    return source;
  }

  it('calls tools on an in-process McpServer on 127.0.0.1', async () => {
    const source = await connect();
    expect(source.status()[0]).toMatchObject({ state: 'connected', transport: 'streamable-http', tools: 3, server: { name: 'http-fixture' } });
    expect(await source.call('mcp_web_echo', { text: 'over http' })).toMatchObject({ content: 'over http', isError: false });
  });

  it.each([404, 400] as const)('answers a call on a forgotten session (%i) with a clear error, opens a fresh session, and never resends the call', async (staleStatus) => {
    const source = await connect({ staleStatus });
    expect(fixture!.sessionsCreated).toHaveLength(1);
    fixture!.forgetSessions();

    const error = (await source.call('mcp_web_increment', {}).catch((e: unknown) => e)) as McpBridgeError;
    expect(error.failure).toBe('server_restarted');
    expect(error.message).toMatch(/MCP server "web" restarted and lost the session/);
    expect(error.message).toContain('was not sent again');
    expect(error.retryable).toBe(true);

    // A fresh handshake happened, and the failed call was not replayed on it.
    await waitFor('the new session is connected', () => source.status()[0]!.state === 'connected');
    expect(fixture!.sessionsCreated).toHaveLength(2);
    expect(fixture!.count('increment')).toBe(0);
    expect(await source.call('mcp_web_increment', {})).toMatchObject({ content: '1' });
    expect(fixture!.count('increment')).toBe(1);
  });

  it('fails a call cut off by a server restart, and the restarted server never sees it twice', async () => {
    const source = await connect();
    const pending = source.call('mcp_web_held_increment', {}).catch((e: unknown) => e);
    await waitFor('the server has received the call', () => fixture!.count('held_increment') === 1);
    await fixture!.restart();

    const error = (await pending) as McpBridgeError;
    expect(['server_restarted', 'connection_lost']).toContain(error.failure);
    expect(error.message).toMatch(/not (sent again|retried)/);
    await waitFor('a new session is connected', () => source.status()[0]!.state === 'connected' && fixture!.sessionsCreated.length === 2);
    expect(await source.call('mcp_web_echo', { text: 'after restart' })).toMatchObject({ content: 'after restart' });
    expect(fixture!.count('held_increment')).toBe(1);
  });

  it('withdraws the tools of a server that went down and brings them back when it returns', async () => {
    const source = await connect();
    await fixture!.stop();
    await expect(source.call('mcp_web_echo', { text: 'anyone?' })).rejects.toMatchObject({ failure: 'connection_lost', message: expect.stringContaining('cannot be reached') });
    expect((await source.list()).map((tool) => tool.name)).not.toContain('mcp_web_echo');
    await expect(source.call('mcp_web_echo', { text: 'anyone?' })).rejects.toMatchObject({ failure: 'server_unavailable' });

    await fixture!.start();
    await waitFor('the server is connected again', () => source.status()[0]!.state === 'connected');
    expect(await source.call('mcp_web_echo', { text: 'welcome back' })).toMatchObject({ content: 'welcome back' });
  });

  it('ends its session on the server (DELETE) when stopped', async () => {
    await connect();
    expect(fixture!.liveSessions).toBe(1);
    await manager!.stop();
    expect(fixture!.liveSessions).toBe(0);
  });

  it('refreshes the tool list on tools/list_changed', async () => {
    const source = await connect();
    fixture!.addTool('brand-new');
    await waitFor('the new tool is listed', async () => (await source.list()).some((tool) => tool.name === 'mcp_web_brand_new'));
    expect(await source.call('mcp_web_brand_new', {})).toMatchObject({ content: 'hello from brand-new' });
  });

  it('sends the configured headers, and says why when the server refuses the connection', async () => {
    const source = await connect({ requiredHeader: ['authorization', 'Bearer s3cret'] }, { headers: { Authorization: 'Bearer s3cret' } });
    expect(source.status()[0]!.state).toBe('connected');
    await manager!.stop();

    const made = managerFor([serverSettings('locked', { url: fixture!.url, connect_timeout: '5s' })]);
    manager = made.manager;
    manager.start();
    await manager.ensureStarted();
    const [status] = manager.status();
    expect(status).toMatchObject({ state: 'reconnecting', lastError: expect.stringMatching(/could not connect: .*401|missing credentials/) });
    expect(status!.lastError).not.toContain('s3cret');
  });
});
