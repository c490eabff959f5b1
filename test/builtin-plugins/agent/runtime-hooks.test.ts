import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestKernel } from '../../../src/kernel/testing/index.js';
import { writePlugin } from '../../helpers/fixtures.js';
import { agentDir, call, calls, harness, ofType, SCRIPTED_LLM, says, scriptedDir, tempDir } from './agent-test-kit.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
const toolGuard = join(import.meta.dirname, '../../fixtures/plugins/tool-guard');
const llm = { ...SCRIPTED_LLM, providers: { scripted: { default_model: 'model-a' }, spare: { type: 'scripted', default_model: 'model-s' } } };

/** The tool-guard fixture under test, with the agent, in-memory storage and the scripted provider. */
function guardKernel(config: Record<string, unknown>, extra: readonly string[] = []) {
  return createTestKernel({
    plugin: toolGuard,
    config,
    with: [agentDir, join(builtins, 'storage'), join(builtins, 'storage-memory'), scriptedDir, ...extra],
    settings: { database: { url: 'memory:' }, llm },
  });
}

/** A plugin that rewrites lookup's input in tool.before: `door` to `window`, `bad` to input the schema refuses. */
function inputRewriter(): string {
  return writePlugin(tempDir(), {
    id: 'input-rewriter',
    manifest: { contributes: { hooks: [{ name: 'tool.before' }] } },
    entry: `import { definePlugin } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) {
  ctx.onModify('tool.before', (c) => c.input.key === 'door' ? { ...c, input: { key: 'window' } } : c.input.key === 'bad' ? { ...c, input: { key: 7 } } : c);
} });`,
  });
}

describe('agent runtime: modifying hooks', () => {
  it('denies a tool in tool.before: the tool does not run and the model reads the reason', async () => {
    await using kernel = guardKernel({ blocked: ['echo'] });
    const h = await harness(kernel);
    h.llm.script(calls([call('echo', { text: 'hi' }, 'c1')]), says('Denied.'));
    const events = await h.run(h.turn('echo hi'));
    expect(ofType(events, 'tool_result')).toEqual([{ type: 'tool_result', callId: 'c1', name: 'echo', content: 'Tool "echo" was not run: echo is blocked by the tool-guard policy', isError: true }]);
    expect(h.llm.toolRuns).toEqual([]);
    expect(JSON.stringify(h.llm.requests[1]!.messages)).toContain('echo is blocked by the tool-guard policy');
  });

  it('runs a tool with the input tool.before rewrote, validated against the tool\'s schema like the model\'s own', async () => {
    await using kernel = guardKernel({}, [inputRewriter()]);
    const h = await harness(kernel);
    h.llm.script(calls([call('lookup', { key: 'door' }, 'c1'), call('lookup', { key: 'bad' }, 'c2')]), says('ok'));
    const events = await h.run(h.turn('look things up'));
    const results = ofType(events, 'tool_result').sort((a, b) => a.callId.localeCompare(b.callId));
    expect(results[0]).toMatchObject({ callId: 'c1', content: 'secret value of window', isError: false });
    expect(results[1]).toMatchObject({ callId: 'c2', isError: true, content: expect.stringMatching(/^Invalid input for tool "lookup": input\/key must be string/) });
  });

  it('rewrites a tool result in tool.after before the model and the reader see it', async () => {
    await using kernel = guardKernel({ redact: 'secret' });
    const h = await harness(kernel);
    h.llm.script(calls([call('lookup', { key: 'door' }, 'c1')]), says('ok'));
    const events = await h.run(h.turn('look up the door'));
    expect(ofType(events, 'tool_result')).toEqual([{ type: 'tool_result', callId: 'c1', name: 'lookup', content: '[redacted] value of door', isError: false }]);
    expect(JSON.stringify(h.llm.requests[1]!.messages)).not.toContain('secret value');
  });

  it('lets prompt.build put a section first', async () => {
    await using kernel = guardKernel({});
    const h = await harness(kernel);
    h.llm.script(says('hello'));
    await h.run(h.turn('hi'));
    expect(h.llm.requests[0]!.system).toMatch(/^Some tools are restricted here\.\n\n/);
  });

  it('calls the provider and model turn.before picks', async () => {
    await using kernel = guardKernel({ provider: 'spare', model: 'model-x' });
    const h = await harness(kernel);
    h.llm.script(says('hello'));
    const events = await h.run(h.turn('hi'));
    expect(h.llm.requests[0]!.model).toBe('model-x');
    expect(ofType(events, 'attempt')[0]).toMatchObject({ candidate: { provider: 'spare', model: 'model-x' } });
  });

  it('ends the turn with no_provider, naming the hook, when turn.before picks a provider that is not configured', async () => {
    await using kernel = guardKernel({ provider: 'ghost' });
    const h = await harness(kernel);
    const events = await h.run(h.turn('hi'));
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'no_provider', message: expect.stringContaining('a turn.before handler chose provider "ghost", which is not an llm.providers entry (scripted, spare)') });
  });
});
