import { afterEach, describe, expect, it } from 'vitest';
import { McpToolSource } from '../../../src/builtin-plugins/mcp/bridge/index.js';
import { readMcpSettings } from '../../../src/builtin-plugins/mcp/config/index.js';
import type { ConnectionManager } from '../../../src/builtin-plugins/mcp/connections/index.js';
import { fixtureServer, isRunning, managerFor, waitFor } from './mcp-test-kit.js';

const entry = (extra: Record<string, unknown> = {}) => ({ command: process.execPath, args: [fixtureServer], connect_timeout: '20s', ...extra });

describe('reloading the MCP configuration', () => {
  let manager: ConnectionManager | undefined;
  afterEach(async () => {
    await manager?.stop();
    manager = undefined;
  });

  it('retires only the servers whose settings changed', async () => {
    const before = readMcpSettings({ servers: { keep: entry(), change: entry({ env: { MODE: 'one' } }), drop: entry() } });
    const made = managerFor(before.servers);
    manager = made.manager;
    manager.start();
    const source = new McpToolSource(manager, { logger: made.logger });
    await source.list();
    const pids = Object.fromEntries(source.status().map((s) => [s.id, s.pid!]));
    const keepSince = source.status().find((s) => s.id === 'keep')!.connectedSince;

    // Same settings written differently (key order, defaults spelt out) count as unchanged.
    const after = readMcpSettings({
      servers: {
        change: entry({ env: { MODE: 'two' } }),
        keep: { connect_timeout: '20s', args: [fixtureServer], command: process.execPath, enabled: true, start: 'eager', request_timeout: '60s' },
        added: entry(),
      },
    });
    const result = await manager.reload(after.servers);
    expect(result).toEqual({ added: ['added'], removed: ['drop'], restarted: ['change'], unchanged: ['keep'] });

    // The retired processes are gone by the time reload returns.
    expect(await isRunning(pids.change!)).toBe(false);
    expect(await isRunning(pids.drop!)).toBe(false);
    await manager.ensureStarted();
    const status = Object.fromEntries(source.status().map((s) => [s.id, s]));
    expect(status.keep).toMatchObject({ state: 'connected', pid: pids.keep, connectedSince: keepSince });
    expect(status.change).toMatchObject({ state: 'connected' });
    expect(status.change!.pid).not.toBe(pids.change);
    expect(status.added).toMatchObject({ state: 'connected' });
    expect(Object.keys(status).sort()).toEqual(['added', 'change', 'keep']);
    expect((await source.list()).map((t) => t.name)).not.toContain('mcp_drop_echo');
    expect(await source.call('mcp_keep_echo', { text: 'same process' })).toMatchObject({ content: 'same process' });
  });

  it('stops a server that a reload disables, and shows it as disabled', async () => {
    const made = managerFor(readMcpSettings({ servers: { fx: entry() } }).servers);
    manager = made.manager;
    manager.start();
    await manager.ensureStarted();
    const pid = manager.status()[0]!.pid!;
    await manager.reload(readMcpSettings({ servers: { fx: entry({ enabled: false }) } }).servers);
    expect(manager.status()).toEqual([expect.objectContaining({ id: 'fx', state: 'disabled', tools: 0 })]);
    await waitFor('the disabled server has exited', async () => !(await isRunning(pid)));
  });

  it('starts a lazy server only when tools are first listed', async () => {
    const made = managerFor(readMcpSettings({ servers: { lazy: entry({ start: 'lazy' }), eager: entry() } }).servers);
    manager = made.manager;
    manager.start();
    const source = new McpToolSource(manager, { logger: made.logger });
    expect(source.status().find((s) => s.id === 'lazy')).toMatchObject({ state: 'idle' });
    await expect(source.call('mcp_lazy_echo', { text: 'x' })).rejects.toMatchObject({ failure: 'unknown_tool' });
    const names = (await source.list()).map((t) => t.name);
    expect(names).toContain('mcp_lazy_echo');
    expect(names).toContain('mcp_eager_echo');
    expect(source.status().find((s) => s.id === 'lazy')).toMatchObject({ state: 'connected' });
  });
});
