import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { PromptBuilderToken, type AgentEvent } from '@nexus/plugin-sdk';
import { createTestKernel } from '../../../src/kernel/testing/index.js';
import { call, calls, ofType, says } from '../agent/agent-test-kit.js';
import { runCommandLine } from '../../helpers/command-line.js';
import { corpusFiles, workspace } from './memory-test-kit.js';
import { memoryDir, memoryHarness, memoryKernel } from './memory-plugin-kit.js';

const toolResults = (events: readonly AgentEvent[]) => ofType(events, 'tool_result');

describe('the memory plugin: enabling', () => {
  it('is not enabled, so not imported, while memory.enabled is not true', async () => {
    for (const settings of [{}, { memory: { enabled: false } }, { memory: { scope: 'global' } }]) {
      await using kernel = createTestKernel({ plugin: memoryDir, settings });
      const summary = kernel.summary();
      expect(summary.enabled).toBe(false);
      expect(summary.state).toBe('disabled');
    }
  });

  it('is auto-enabled by memory.enabled: true, and then loads', async () => {
    await using kernel = createTestKernel({ plugin: memoryDir, settings: { memory: { enabled: true } } });
    expect(kernel.summary().enabled).toBe(true);
    await kernel.activate();
    expect(kernel.summary().state).toBe('active');
  });
});

describe('the memory tools through the agent runtime', () => {
  it('memory_write saves a note, memory_search finds it and names its mode, memory_get reads the cited lines', async () => {
    const dir = workspace(corpusFiles());
    await using kernel = memoryKernel({ workspace: dir });
    const h = await memoryHarness(kernel);
    const session = await h.session('api', 'op');

    h.llm.script(calls([call('memory_write', { text: 'The garage door code changed to the blue keypad.' })]), says('Saved.'));
    const written = toolResults(await h.turn(session, 'remember the garage door'));
    expect(written[0]!.isError).toBe(false);
    const receipt = JSON.parse(written[0]!.content) as { path: string; target: string; bytes: number };
    expect(receipt.path).toMatch(/^memory\/\d{4}-\d{2}-\d{2}\.md$/);
    expect(receipt.target).toBe('daily');
    expect(readFileSync(join(dir, receipt.path), 'utf8')).toContain('The garage door code changed to the blue keypad.');

    h.llm.script(calls([call('memory_search', { query: 'blue keypad', mode: 'lexical' })]), says('Found it.'));
    const searched = toolResults(await h.turn(session, 'what about the keypad?'));
    const answer = JSON.parse(searched[0]!.content) as { mode: string; results: { file: string; start_line: number; end_line: number; snippet: string; score: number }[] };
    expect(answer.mode).toBe('lexical');
    expect(answer.results[0]).toMatchObject({ file: receipt.path });
    expect(answer.results[0]!.snippet).toContain('blue keypad');

    // Hybrid is asked for by default, but there is no embedder: the answer says so.
    h.llm.script(calls([call('memory_search', { query: 'sourdough' })]), says('ok'));
    const hybrid = JSON.parse(toolResults(await h.turn(session, 'bread?'))[0]!.content) as { mode: string; fallback?: { from: string; reason: string } };
    expect(hybrid.mode).toBe('lexical');
    expect(hybrid.fallback).toMatchObject({ from: 'hybrid' });
    expect(hybrid.fallback!.reason).toMatch(/no embeddings provider/);

    const hit = answer.results[0]!;
    h.llm.script(calls([call('memory_get', { path: hit.file, from: hit.start_line, lines: hit.end_line - hit.start_line + 1 })]), says('ok'));
    const got = JSON.parse(toolResults(await h.turn(session, 'read it'))[0]!.content) as { text: string };
    expect(got.text).toContain('blue keypad');
  });

  it('refuses paths outside the memory files, through the tool', async () => {
    const dir = workspace({ ...corpusFiles(), 'secrets.md': 'nope' });
    await using kernel = memoryKernel({ workspace: dir });
    const h = await memoryHarness(kernel);
    const session = await h.session('api', 'op');
    for (const path of ['../etc/passwd', '/etc/passwd', 'secrets.md', 'memory/../../x.md']) {
      h.llm.script(calls([call('memory_get', { path })]), says('ok'));
      const [result] = toolResults(await h.turn(session, `read ${path}`));
      expect(result!.isError, path).toBe(true);
    }
    h.llm.script(calls([call('memory_write', { text: 'x', target: '../x.md' })]), says('ok'));
    // The manifest's schema refuses the target before the tool runs.
    expect(toolResults(await h.turn(session, 'write'))[0]!.isError).toBe(true);
  });
});

describe('MEMORY.md stays out of group chats', () => {
  it('is in the prompt of a private chat and never in a group chat, where search leaves it out and get refuses it', async () => {
    const dir = workspace(corpusFiles());
    await using kernel = memoryKernel({ workspace: dir });
    const h = await memoryHarness(kernel);
    const builder = await kernel.services.get(PromptBuilderToken);
    const memoryText = readFileSync(join(dir, 'MEMORY.md'), 'utf8').split('\n').find((l) => l.trim() !== '' && !l.startsWith('#'))!;

    const dm = await h.session('telegram', 'dm-1');
    const group = await h.session('telegram', 'group-1');
    const context = (sessionId: string, chat_type: string) => ({ sessionId, agentId: 'main', channel: 'telegram', message: 'hi', metadata: { chat_type }, heartbeat: false, signal: AbortSignal.timeout(10_000) });

    expect((await builder.build(context(dm.id, 'private'))).text).toContain(memoryText);
    const groupPrompt = await builder.build(context(group.id, 'group'));
    expect(groupPrompt.text).not.toContain(memoryText);
    expect(groupPrompt.sections.map((s) => s.name)).not.toContain('workspace-memory');

    h.llm.script(calls([call('memory_search', { query: memoryText.split(/\s+/).slice(1, 4).join(' '), mode: 'lexical' })]), says('ok'));
    const groupSearch = JSON.parse(toolResults(await h.turn(group, 'search', { chat_type: 'group' }))[0]!.content) as { results: { file: string }[] };
    expect(groupSearch.results.map((r) => r.file)).not.toContain('MEMORY.md');

    h.llm.script(calls([call('memory_get', { path: 'MEMORY.md' })]), says('ok'));
    expect(toolResults(await h.turn(group, 'read', { chat_type: 'group' }))[0]).toMatchObject({ isError: true });
    h.llm.script(calls([call('memory_write', { text: 'a group note', target: 'MEMORY.md' })]), says('ok'));
    expect(toolResults(await h.turn(group, 'write', { chat_type: 'group' }))[0]).toMatchObject({ isError: true });

    h.llm.script(calls([call('memory_get', { path: 'MEMORY.md' })]), says('ok'));
    expect(toolResults(await h.turn(dm, 'read', { chat_type: 'private' }))[0]).toMatchObject({ isError: false });
  });
});

describe('recall and the daily log', () => {
  it('recalls the session\'s own entries of today and yesterday, and logs turns when log_turns is on', async () => {
    const dir = workspace();
    await using kernel = memoryKernel({ workspace: dir, memory: { daily: { log_turns: true }, scope: 'session' } });
    const h = await memoryHarness(kernel);
    const builder = await kernel.services.get(PromptBuilderToken);
    const mine = await h.session('api', 'mine');
    const other = await h.session('api', 'other');

    h.llm.script(says('Noted, purple it is.'));
    await h.turn(mine, 'my favourite colour is purple');
    // The reply was stored after the turn: the next hook catches it up.
    await kernel.hooks.emit('message.received', { channel: 'api', accountId: 'default', sessionId: mine.id, messageId: 'x' });

    const context = (sessionId: string) => ({ sessionId, agentId: 'main', channel: 'api', message: 'hi', metadata: {}, heartbeat: false, signal: AbortSignal.timeout(10_000) });
    const recalled = await builder.build(context(mine.id));
    const section = recalled.sections.find((s) => s.name === 'memory-recall');
    expect(section?.text).toContain('my favourite colour is purple');
    expect(section?.text).toContain('Noted, purple it is.');
    expect((await builder.build(context(other.id))).sections.map((s) => s.name)).not.toContain('memory-recall');
  });
});

describe('the watcher', () => {
  it('starts with the plugin in a running host, re-indexes an edited file, and stops with the plugin', async () => {
    const dir = workspace(corpusFiles());
    const kernel = memoryKernel({ workspace: dir, memory: { watch: { enabled: true, debounce: '20ms' } } });
    try {
      await kernel.activate('onStartup');
      writeFileSync(join(dir, 'memory', 'watched.md'), '# Watched\n\nThe lighthouse keeper feeds the gulls.\n');
      // The watcher reacts to the file system on its own; poll what the index answers.
      await vi.waitFor(
        async () => {
          const run = await runCommandLine(kernel, 'memory', ['stats', '--json']);
          expect((JSON.parse(run.stdout) as { files: number }).files).toBe(6);
        },
        { timeout: 15_000, interval: 100 },
      );
      expect(kernel.logs.filter((l) => /memory re-index failed|memory watcher did not start/.test(l.msg))).toEqual([]);
    } finally {
      await kernel.stop();
    }
  });
});
