import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { promptContextFor } from '../../../src/builtin-plugins/agent/prompt/prompt-context.js';
import { PromptBuilderToken } from '@nexus/plugin-sdk';
import { configFromData } from '../../../src/kernel/index.js';
import { openTestKernel } from '../../../src/kernel/testing/create-test-kernel.js';
import { agentDir, SCRIPTED_LLM, scriptedDir, workspaceDir } from './agent-test-kit.js';
import { workspaceWith } from './prompt-test-kit.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
const loadPaths = [join(builtins, 'storage'), join(builtins, 'storage-memory'), scriptedDir, workspaceDir];

/** The settings a prompt is built under; the sections work theirs out once per config. */
const settings = (workspace: string, name: string, notes: string) => ({
  database: { url: 'memory:' },
  llm: SCRIPTED_LLM,
  identity: { name },
  user: { name: 'Ada' },
  workspace: { path: workspace },
  session: { heartbeat: { enabled: true } },
  tools: { notes },
});

describe('system prompt: reloads', () => {
  it('builds the next prompt from the reloaded identity, workspace folder, heartbeat and tool notes', async () => {
    const before = workspaceWith({ 'AGENTS.md': 'Old instructions.', 'HEARTBEAT.md': 'Old checklist.' });
    const after = workspaceWith({ 'AGENTS.md': 'New instructions.', 'TOOLS.md': 'New tools file.' });
    const { kernel, test } = openTestKernel({ plugin: agentDir, with: loadPaths, settings: settings(before, 'Nyx', 'Old notes.') });
    await using _ = test;
    const build = async () => {
      const builder = await test.services.get(PromptBuilderToken);
      const context = promptContextFor({ sessionId: 's', agentId: 'main', channel: 'telegram', content: 'hello', metadata: {} }, AbortSignal.timeout(10_000));
      return (await builder.build(context)).text;
    };

    const first = await build();
    expect(first).toContain('Your identity: name Nyx.');
    expect(first).toContain('Old instructions.');
    expect(first).toContain('Old checklist.');
    expect(first).toContain('Tool notes:\nOld notes.');

    const report = await kernel.reconfigure(
      configFromData({ ...settings(after, 'Vex', 'New notes.'), plugins: { load: { paths: loadPaths }, entries: { agent: { path: join(agentDir, 'nexus.plugin.json') } } } }),
    );
    expect(report.applied).toBe(true);

    const second = await build();
    expect(second).toContain('Your identity: name Vex.');
    expect(second).toContain('New instructions.');
    expect(second).not.toContain('checklist.');
    expect(second).toContain('Tool notes:\nNew notes.\nNew tools file.');
  });
});
