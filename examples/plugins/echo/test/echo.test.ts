import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Tool } from '@nexus/plugin-sdk';
import { createToolContext, startTestHost, verifyPluginContract } from '@nexus/plugin-sdk/testing';
import { echoConfigSchema, EchoTool, type EchoInput } from '../src/index.js';

// What a third-party author's tests can do: only `@nexus/plugin-sdk/testing`, no host internals.
// Loading echo through a real kernel and its config file is test/examples/echo-host.test.ts.
const plugin = join(import.meta.dirname, '..');

describe('echo example plugin', () => {
  it('honours its manifest', async () => {
    const report = await verifyPluginContract({ plugin, config: { prefix: '# ' } });
    expect(report).toEqual({ pluginId: 'echo', resolved: ['tools:echo'], problems: [] });
  });

  it('echoes with the configured prefix in a running host, input checked against the manifest schema', async () => {
    await using host = await startTestHost({ plugin, config: { prefix: '~' } });
    expect(await host.callTool('echo', { text: 'x' })).toEqual({ content: '~x' });
    expect(host.state().state).toBe('active');
    expect(await host.callTool('echo', { words: 'x' })).toMatchObject({ isError: true, content: expect.stringMatching(/invalid input for tool echo/) });
  });

  it('defaults the prefix to an empty string', async () => {
    await using host = await startTestHost({ plugin });
    expect(await host.callTool('echo', { text: 'plain' })).toEqual({ content: 'plain' });
  });

  it('is quarantined, with the offending key named, when the prefix has the wrong type', async () => {
    await using host = await startTestHost({ plugin, config: { prefix: 42 } });
    const { state, diagnostics } = host.state();
    expect(state).toBe('quarantined');
    expect(diagnostics[0]).toMatchObject({ code: 'plugin.config-invalid', message: '/plugins/entries/echo/config/prefix: expected string, found number 42' });
  });

  it('unit-tests the tool class with a context from the kit', async () => {
    const tool: Tool<EchoInput> = new EchoTool({ prefix: '> ' });
    expect(await tool.execute({ text: 'hi' }, createToolContext())).toEqual({ content: '> hi' });
  });

  it('types its config from the same schema its manifest declares (the type itself: test/sdk/config-from-schema.test.ts)', () => {
    const manifest = JSON.parse(readFileSync(join(plugin, 'nexus.plugin.json'), 'utf8')) as { configSchema: unknown };
    expect(echoConfigSchema).toEqual(manifest.configSchema);
  });
});
