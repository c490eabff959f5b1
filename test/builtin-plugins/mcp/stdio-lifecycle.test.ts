import { afterEach, describe, expect, it } from 'vitest';
import { McpToolSource } from '../../../src/builtin-plugins/mcp/bridge/index.js';
import { isMcpBridgeError, type ConnectionManager, type McpBridgeError } from '../../../src/builtin-plugins/mcp/connections/index.js';
import { isRunning, managerFor, stdioFixture, waitFor } from './mcp-test-kit.js';

describe('stdio MCP servers owned by the bridge', () => {
  let manager: ConnectionManager | undefined;
  afterEach(async () => {
    await manager?.stop();
    manager = undefined;
  });

  function bridge(...servers: Parameters<typeof stdioFixture>[]) {
    const made = managerFor(servers.map((args) => stdioFixture(...args)));
    manager = made.manager;
    manager.start();
    return { source: new McpToolSource(manager, { logger: made.logger, attachments: true }), logger: made.logger };
  }

  const pidOf = (source: McpToolSource, id = 'fx') => source.status().find((s) => s.id === id)?.pid;

  it('fails a call in flight when the server crashes, withdraws its tools at once, then reconnects', async () => {
    const { source } = bridge(['fx']);
    await source.list();
    const firstPid = pidOf(source)!;
    const changes: number[] = [];
    manager!.onChange(() => changes.push(source.status()[0]!.tools));

    const error = (await source.call('mcp_fx_crash', {}).catch((e: unknown) => e)) as McpBridgeError;
    expect(isMcpBridgeError(error, 'connection_lost')).toBe(true);
    expect(error.message).toContain('MCP server "fx"');
    expect(error.message).toContain('exited with code 3');
    expect(error.message).toContain('fixture: crashing on purpose');
    expect(error.message).toContain('it was not retried');
    // The dead server was withdrawn before anything else happened: its first change shows 0 tools.
    expect(changes[0]).toBe(0);

    // Between the crash and the reconnection, its tools are not offered and calls say why.
    const during = source.status()[0]!;
    if (during.state === 'reconnecting') {
      expect((await source.list()).some((tool) => tool.name === 'mcp_fx_echo')).toBe(false);
      await expect(source.call('mcp_fx_echo', { text: 'x' })).rejects.toMatchObject({ failure: 'server_unavailable', message: expect.stringContaining('exited with code 3') });
    }

    await waitFor('the server is connected again', () => source.status()[0]!.state === 'connected');
    expect(pidOf(source)).not.toBe(firstPid);
    expect(await isRunning(firstPid)).toBe(false);
    expect(await source.call('mcp_fx_echo', { text: 'back' })).toMatchObject({ content: 'back', isError: false });
  });

  it('refreshes the tool list when the server sends tools/list_changed', async () => {
    const { source } = bridge(['fx']);
    expect((await source.list()).map((t) => t.name)).not.toContain('mcp_fx_late_tool');
    await source.call('mcp_fx_add_tool', { name: 'late-tool' });
    await waitFor('the new tool is listed', async () => (await source.list()).some((tool) => tool.name === 'mcp_fx_late_tool'));
    expect(await source.call('mcp_fx_late_tool', {})).toMatchObject({ content: 'hello from late-tool' });
  });

  it('kills grandchildren with the process group on stop', async () => {
    const { source } = bridge(['fx']);
    await source.list();
    const serverPid = pidOf(source)!;
    const grandchild = Number((await source.call('mcp_fx_spawn_grandchild', {})).content);
    expect(await isRunning(grandchild)).toBe(true);
    await manager!.stop();
    expect(await isRunning(serverPid)).toBe(false);
    await waitFor(`grandchild ${grandchild} is gone`, async () => !(await isRunning(grandchild)));
  });

  it('kills the grandchildren a crashed server leaves behind', async () => {
    const { source } = bridge(['fx']);
    await source.list();
    const grandchild = Number((await source.call('mcp_fx_spawn_grandchild', {})).content);
    await source.call('mcp_fx_crash', {}).catch(() => undefined);
    await waitFor(`the orphaned grandchild ${grandchild} is gone`, async () => !(await isRunning(grandchild)));
  });

  it('escalates to SIGKILL for a server that ignores SIGTERM', async () => {
    const { source } = bridge(['fx', { env: { FIXTURE_IGNORE_SIGTERM: '1' } }]);
    await source.list();
    const pid = pidOf(source)!;
    await manager!.stop();
    expect(await isRunning(pid)).toBe(false);
  });

  it('enforces request_timeout and tells the caller the call may still be running', async () => {
    const { source } = bridge(['fx', { request_timeout: '200ms' }]);
    await source.list();
    await expect(source.call('mcp_fx_hang', {})).rejects.toMatchObject({ failure: 'timeout', message: expect.stringContaining('within 200 ms (request_timeout)') });
    // The connection is still good.
    expect(await source.call('mcp_fx_echo', { text: 'still here' })).toMatchObject({ content: 'still here' });
  });

  it('stops a call when the caller aborts it', async () => {
    const { source } = bridge(['fx']);
    await source.list();
    const controller = new AbortController();
    const pending = source.call('mcp_fx_hang', {}, { signal: controller.signal });
    controller.abort(new Error('turn cancelled'));
    await expect(pending).rejects.toMatchObject({ failure: 'cancelled' });
  });

  it('fails connect_timeout with a message naming the setting, and keeps retrying', async () => {
    // `node -e` that never speaks MCP: the handshake cannot finish.
    const made = managerFor([
      stdioFixture('mute', { args: ['-e', 'setInterval(() => {}, 1000)'], connect_timeout: '300ms' }),
    ]);
    manager = made.manager;
    manager.start();
    const source = new McpToolSource(manager, { logger: made.logger });
    await source.list();
    const [status] = source.status();
    expect(status).toMatchObject({ state: 'reconnecting', failures: 1, lastError: expect.stringContaining('within 300 ms (connect_timeout)') });
    expect(status!.nextRetryAt).toBeGreaterThan(0);
  });

  it('says clearly when the command does not exist', async () => {
    const made = managerFor([stdioFixture('missing', { command: 'nexus-no-such-mcp-server-binary', args: [] })]);
    manager = made.manager;
    manager.start();
    const source = new McpToolSource(manager, { logger: made.logger });
    await source.list();
    expect(source.status()[0]!.lastError).toContain('cannot start "nexus-no-such-mcp-server-binary": command not found');
  });
});
