import { afterEach, describe, expect, it } from 'vitest';
import { McpToolSource, isProviderSafeToolName } from '../../../src/builtin-plugins/mcp/bridge/index.js';
import type { ConnectionManager } from '../../../src/builtin-plugins/mcp/connections/index.js';
import { everything, isRunning, managerFor, waitFor } from './mcp-test-kit.js';

describe('the bridge against server-everything over stdio', () => {
  let manager: ConnectionManager | undefined;
  afterEach(async () => {
    await manager?.stop();
    manager = undefined;
  });

  function bridge(options: { attachments?: boolean } = {}) {
    const made = managerFor([everything('everything')]);
    manager = made.manager;
    manager.start();
    return new McpToolSource(manager, { logger: made.logger, ...options });
  }

  it('lists every tool under a provider-safe mcp_ name and description, and calls echo', async () => {
    const source = bridge();
    const tools = await source.list();
    const names = tools.map((tool) => tool.name);
    expect(names).toContain('mcp_everything_echo');
    expect(names).toContain('mcp_everything_get_sum');
    for (const name of names) expect(isProviderSafeToolName(name)).toBe(true);
    for (const tool of tools) expect(tool.description.length).toBeLessThanOrEqual(1024);
    const echo = tools.find((tool) => tool.name === 'mcp_everything_echo')!;
    expect(echo.inputSchema).toMatchObject({ type: 'object', properties: { message: { type: 'string' } } });
    expect(echo.inputSchema).not.toHaveProperty('$schema');

    const result = await source.call('mcp_everything_echo', { message: 'hello' });
    expect(result).toMatchObject({ content: 'Echo: hello', isError: false });
    expect(await source.call('mcp_everything_get_sum', { a: 2, b: 40 })).toMatchObject({ content: expect.stringContaining('42') });
  });

  it('offers resources and prompts through the two generic tools', async () => {
    const source = bridge();
    const tools = await source.list();
    const read = tools.find((tool) => tool.name === 'mcp_read_resource');
    const prompt = tools.find((tool) => tool.name === 'mcp_get_prompt');
    expect(read?.inputSchema).toMatchObject({ properties: { server: { enum: ['everything'] } } });
    expect(prompt?.description).toContain('simple-prompt');

    const uri = /(demo:\/\/resource\/static\/document\/[^\s;)]+)/.exec(read!.description)?.[1];
    expect(uri).toBeDefined();
    const resource = await source.call('mcp_read_resource', { server: 'everything', uri });
    expect(resource.isError).toBe(false);
    expect(resource.content).toContain(uri!);

    const got = await source.call('mcp_get_prompt', { server: 'everything', name: 'simple-prompt' });
    expect(got.content).toContain('--- user ---');
  });

  it('passes an image on as an attachment when the caller can carry one, and as a note otherwise', async () => {
    const withFiles = bridge({ attachments: true });
    const tools = await withFiles.list();
    const imageTool = tools.find((tool) => /image/.test(tool.name) && !/annotated/.test(tool.name));
    expect(imageTool).toBeDefined();
    const attached = await withFiles.call(imageTool!.name, {});
    expect(attached.attachments?.[0]).toMatchObject({ mimeType: 'image/png' });
    expect(attached.attachments?.[0]?.data?.byteLength).toBeGreaterThan(0);
    expect(attached.content).toMatch(/\[image attached: image-1\.png \(image\/png/);

    const noted = await withFiles.call(imageTool!.name, {}, { attachments: false });
    expect(noted.attachments).toBeUndefined();
    expect(noted.content).toMatch(/\[image left out \(image\/png, .*\): this conversation cannot carry attachments\]/);
  });

  it('reports status with the pid, and leaves no process behind after stop', async () => {
    const source = bridge();
    await source.list();
    const [status] = source.status();
    expect(status).toMatchObject({ id: 'everything', state: 'connected', transport: 'stdio', server: { name: expect.any(String) } });
    expect(status!.tools).toBeGreaterThan(5);
    const pid = status!.pid!;
    expect(await isRunning(pid)).toBe(true);
    await manager!.stop();
    await waitFor(`server-everything (pid ${pid}) has exited`, async () => !(await isRunning(pid)));
    await expect(source.call('mcp_everything_echo', { message: 'late' })).rejects.toMatchObject({ failure: 'bridge_closed' });
  });
});
