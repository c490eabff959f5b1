import { afterEach, describe, expect, it } from 'vitest';
import { McpSession, type SessionEvents } from '../../../src/builtin-plugins/mcp/connections/mcp-session.js';
import { systemTimers } from '../../../src/builtin-plugins/mcp/connections/index.js';
import { MemoryLogger } from '../../../src/kernel/index.js';
import { HttpFixtureServer } from './fixtures/http-fixture-server.js';
import { serverSettings, waitFor } from './mcp-test-kit.js';

describe('one MCP session', () => {
  let fixture: HttpFixtureServer | undefined;
  afterEach(async () => {
    await fixture?.stop();
    fixture = undefined;
  });

  async function open() {
    fixture = new HttpFixtureServer();
    await fixture.start();
    const seen = { lost: 0, catalog: 0, refreshFailed: [] as unknown[] };
    const events: SessionEvents = {
      onLost: () => seen.lost++,
      onError: () => undefined,
      onCatalog: () => seen.catalog++,
      onRefreshFailed: (_session, _kind, error) => seen.refreshFailed.push(error),
    };
    const session = new McpSession(serverSettings('web', { url: fixture.url }), { name: 'nexus-test', version: '1' }, systemTimers, events, new MemoryLogger());
    await session.open(AbortSignal.timeout(10_000));
    return { session, seen };
  }

  const listChanged = (session: McpSession) => session.handle.transport.onmessage?.({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });

  it('fetches the tools again on list_changed, following the SDK\'s listChanged option', async () => {
    const { session, seen } = await open();
    fixture!.addTool('fresh');
    await waitFor('the catalog was refreshed', () => seen.catalog > 0 && session.catalog.tools.some((t) => t.name === 'fresh'));
    await session.close();
  });

  it('ignores a list_changed refresh that fires after close ("Not connected"), and reports none as a failure', async () => {
    const { session, seen } = await open();
    const attempts: unknown[] = [];
    const listTools = session.client.listTools.bind(session.client);
    session.client.listTools = (...args) => listTools(...args).catch((error: unknown) => {
      attempts.push(error);
      throw error;
    });
    await session.close();
    listChanged(session);
    await waitFor('the refresh ran and failed', () => attempts.length === 1);
    expect(String(attempts[0])).toContain('Not connected');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen.refreshFailed).toEqual([]);
    expect(seen.lost).toBe(0);
  });

  it('reports a refresh that fails while the session is open, so the connection can act on it', async () => {
    const { session, seen } = await open();
    fixture!.forgetSessions();
    listChanged(session);
    await waitFor('the failed refresh was reported', () => seen.refreshFailed.length === 1);
    expect(String(seen.refreshFailed[0])).toMatch(/404|Session not found/);
    await session.close();
  });
});
