import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentRuntimeToken, PromptBuilderToken } from '@nexus/plugin-sdk';
import { verifyPluginContract } from '../../../src/kernel/testing/index.js';
import { testKernel } from '../../helpers/fixtures.js';
import { agentDir, agentKernel, collect } from './agent-test-kit.js';

type Schema = { type?: string; additionalProperties?: unknown; description?: string; properties?: Record<string, Schema> };

describe('agent plugin', () => {
  it('honours its manifest: the prompt and sessions commands, its three prompt sections and its doctor check', async () => {
    const report = await verifyPluginContract({ plugin: agentDir });
    expect(report).toEqual({
      pluginId: 'agent',
      resolved: ['promptSections:heartbeat', 'promptSections:tool-notes', 'promptSections:safety', 'commands:prompt', 'commands:sessions', 'doctorChecks:llm-providers'],
      problems: [],
    });
  });

  it('describes every setting of its agent section', () => {
    const manifest = JSON.parse(readFileSync(join(agentDir, 'nexus.plugin.json'), 'utf8')) as { contributes: { configSections: { section: string; schema: Schema }[] } };
    const agent = manifest.contributes.configSections.find((s) => s.section === 'agent')!.schema;
    expect(agent.additionalProperties).toBe(false);
    expect(Object.keys(agent.properties!)).toEqual(['max_iterations', 'tool_timeout', 'history_limit', 'unanswered_messages', 'event_buffer']);
    for (const [key, schema] of Object.entries(agent.properties!)) expect(schema.description, `agent.${key}`).toBeTruthy();
  });

  it('starts with no provider configured and provides the runtime and the prompt builder', async () => {
    await using kernel = agentKernel({ settings: { llm: {} } });
    await kernel.activate();
    expect(kernel.summary()).toMatchObject({ state: 'active', diagnostics: [] });
    expect(typeof (await kernel.services.get(AgentRuntimeToken)).run).toBe('function');
    expect(typeof (await kernel.services.get(PromptBuilderToken)).build).toBe('function');
  });

  it.each([
    ['a tool_timeout without a unit', { agent: { tool_timeout: '30' } }, '/agent/tool_timeout'],
    ['a zero event_buffer', { agent: { event_buffer: 0 } }, '/agent/event_buffer'],
    ['an unknown heartbeat mode', { session: { heartbeat: { mode: 'sometimes' } } }, '/session/heartbeat/mode'],
  ])('is quarantined by %s, naming the key', async (_what, settings, pointer) => {
    await using kernel = agentKernel({ settings });
    expect(kernel.summary().state).toBe('quarantined');
    expect(kernel.summary().diagnostics[0]).toMatchObject({ code: 'config.invalid', message: expect.stringContaining(pointer) });
  });

  it('gives way to an integrator\'s runtime that the operator puts in the agent-runtime slot', async () => {
    const custom = join(import.meta.dirname, 'fixtures/custom-runtime');
    const turn = { sessionId: 's', agentId: 'main', channel: 'test', content: 'ping' };

    const swapped = testKernel({ loadPaths: [agentDir, custom], plugins: { slots: { 'agent-runtime': 'custom-runtime' } } }).kernel;
    const events = await collect((await swapped.services.get(AgentRuntimeToken)).run(turn, { signal: AbortSignal.timeout(5_000) }));
    expect(events).toEqual([{ type: 'done', text: 'custom runtime heard: ping' }]);

    const builtIn = testKernel({ loadPaths: [agentDir, custom] }).kernel;
    expect(builtIn.list().find((p) => p.id === 'agent')).toMatchObject({ enabled: true });
    expect(builtIn.list().find((p) => p.id === 'custom-runtime')).toMatchObject({ enabled: false });
  });
});
