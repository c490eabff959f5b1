import { afterEach, describe, expect, it } from 'vitest';
import { McpToolSource } from '../../../src/builtin-plugins/mcp/bridge/index.js';
import type { ConnectionManager } from '../../../src/builtin-plugins/mcp/connections/index.js';
import { SseFixtureServer } from './fixtures/sse-fixture-server.js';
import { managerFor, serverSettings, waitFor } from './mcp-test-kit.js';

describe('MCP servers on the legacy HTTP+SSE transport (transport: sse)', () => {
  let manager: ConnectionManager | undefined;
  let fixture: SseFixtureServer | undefined;
  afterEach(async () => {
    await manager?.stop();
    await fixture?.stop();
    manager = fixture = undefined;
  });

  it('calls tools, withdraws them when the event stream breaks, and reconnects with a new handshake', async () => {
    fixture = new SseFixtureServer();
    await fixture.start();
    const made = managerFor([serverSettings('old', { url: fixture.url, transport: 'sse', connect_timeout: '5s', request_timeout: '5s' })]);
    manager = made.manager;
    manager.start();
    const source = new McpToolSource(manager, { logger: made.logger });
    expect((await source.list()).map((t) => t.name)).toEqual(['mcp_old_echo']);
    expect(source.status()[0]).toMatchObject({ state: 'connected', transport: 'sse', server: { name: 'sse-fixture' } });
    expect(await source.call('mcp_old_echo', { text: 'legacy' })).toMatchObject({ content: 'legacy' });

    await fixture.stop();
    await waitFor('the broken server is withdrawn', () => source.status()[0]!.state !== 'connected');
    expect(await source.list()).toEqual([]);
    await fixture.start();
    await waitFor('the server is connected again', () => source.status()[0]!.state === 'connected');
    expect(await source.call('mcp_old_echo', { text: 'again' })).toMatchObject({ content: 'again' });
  });
});
