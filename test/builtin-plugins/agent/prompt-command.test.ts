import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AgentRuntimeToken, SessionStoreToken } from '@nexus/plugin-sdk';
import type { TestKernel } from '../../../src/kernel/testing/index.js';
import { collect, says, tempDir } from './agent-test-kit.js';
import { FULL_PROFILE, FULL_WORKSPACE, promptKernel, workspaceWith } from './prompt-test-kit.js';
import { ScriptedLlmToken } from './fixtures/scripted-llm/index.js';
import { runCommandLine } from '../../helpers/command-line.js';

const fixtures = join(import.meta.dirname, 'fixtures');

async function nexusPrompt(kernel: TestKernel, argv: readonly string[]) {
  return runCommandLine(kernel, 'prompt', argv);
}

async function newSession(kernel: TestKernel, channel = 'telegram'): Promise<string> {
  const store = await kernel.services.get(SessionStoreToken);
  return (await store.create({ agentId: 'main', channel, key: `main:${channel}:42` })).id;
}

const settings = () => ({
  ...FULL_PROFILE,
  workspace: { path: workspaceWith(FULL_WORKSPACE) },
  session: { heartbeat: { enabled: true, mode: 'on_demand' } },
  tools: { notes: 'Inline note.' },
});

describe('nexus prompt', () => {
  it('prints the prompt, then each section with its plugin and size', async () => {
    await using kernel = promptKernel(settings());
    const id = await newSession(kernel);

    const { code, stdout, stderr } = await nexusPrompt(kernel, ['--session', id, '--channel', 'telegram', '--message', 'hi']);

    expect(code).toBe(0);
    expect(stderr).toBe('');
    const [prompt, table] = stdout.split('\n\n--- ');
    expect(prompt).toMatch(/^Your identity: name Nyx;/);
    expect(prompt).toMatch(/Be concise and direct, and ask a clarifying question when a request is ambiguous\.$/);
    const rows = table!.split('\n').slice(1).filter(Boolean);
    // nexus prompt says nothing about the kind of chat, so MEMORY.md (private only) stays out.
    expect(table!.split('\n')[0]).toMatch(/^8 sections, \d+ chars ---$/);
    expect(rows.map((r) => r.trim().split(/\s+/).slice(0, 2))).toEqual([
      ['identity', 'workspace'],
      ['user-profile', 'workspace'],
      ['workspace-agents', 'workspace'],
      ['workspace-soul', 'workspace'],
      ['workspace-user', 'workspace'],
      ['workspace-identity', 'workspace'],
      ['tool-notes', 'agent'],
      ['safety', 'agent'],
    ]);
    expect(rows.at(-1)).toMatch(/safety\s+agent\s+\d+ chars$/);
  });

  it('prints JSON with the exact prompt the runtime sends for the same message', async () => {
    await using kernel = promptKernel(settings());
    const id = await newSession(kernel);
    const llm = await kernel.services.get(ScriptedLlmToken);
    llm.script(says('ok'));
    const runtime = await kernel.services.get(AgentRuntimeToken);
    await collect(runtime.run({ sessionId: id, agentId: 'main', channel: 'telegram', content: 'heartbeat' }, { signal: AbortSignal.timeout(10_000) }));

    const { code, stdout } = await nexusPrompt(kernel, ['--session', id, '--channel', 'telegram', '--message', 'heartbeat', '--json']);

    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { prompt: string; sections: { name: string; pluginId: string; chars: number }[]; failed: unknown[] };
    expect(report.prompt).toBe(llm.requests[0]!.system);
    expect(report.sections.map((s) => s.name)).toContain('heartbeat');
    expect(report.sections.find((s) => s.name === 'safety')).toEqual({ name: 'safety', pluginId: 'agent', chars: expect.any(Number) });
    expect(report.sections.reduce((sum, s) => sum + s.chars, 0) + 2 * (report.sections.length - 1)).toBe([...report.prompt].length);
    expect(report.failed).toEqual([]);
  });

  it('includes the on-demand heartbeat checklist only with --heartbeat (or a heartbeat message)', async () => {
    await using kernel = promptKernel(settings());
    const id = await newSession(kernel);
    const sections = async (argv: string[]) => (JSON.parse((await nexusPrompt(kernel, ['--session', id, '--channel', 'telegram', '--json', ...argv])).stdout) as { sections: { name: string }[] }).sections.map((s) => s.name);

    expect(await sections([])).not.toContain('heartbeat');
    expect(await sections(['--heartbeat'])).toContain('heartbeat');
    expect(await sections(['--message', 'heartbeat please'])).toContain('heartbeat');
  });

  it('lists sections that failed and were left out', async () => {
    await using kernel = promptKernel(settings(), { with: [join(fixtures, 'extra-sections')] });
    const id = await newSession(kernel);

    const { code, stdout } = await nexusPrompt(kernel, ['--session', id, '--channel', 'telegram']);

    expect(code).toBe(0);
    expect(stdout).toContain('--- 2 left out because they failed ---\n  throws (extra-sections): vector index is offline\n  not-text (extra-sections): render() returned number');
  });

  it('takes the session by its key as well as by its id', async () => {
    await using kernel = promptKernel(settings());
    const id = await newSession(kernel);

    const byKey = await nexusPrompt(kernel, ['--session', 'main:telegram:42', '--channel', 'telegram', '--json']);
    const byId = await nexusPrompt(kernel, ['--session', id, '--channel', 'telegram', '--json']);

    expect(byKey.code).toBe(0);
    expect(byKey).toEqual(byId);
  });

  it('notes on stderr when the session belongs to another channel, and builds for the one asked', async () => {
    await using kernel = promptKernel(settings());
    const id = await newSession(kernel, 'slack');

    const { code, stderr } = await nexusPrompt(kernel, ['--session', id, '--channel', 'telegram']);

    expect(code).toBe(0);
    expect(stderr).toBe(`nexus prompt: note: session ${id} belongs to channel slack; building the prompt for --channel telegram as asked\n`);
  });

  it('fails with exit 1 and a clear message for an unknown session', async () => {
    await using kernel = promptKernel(settings());

    const { code, stdout, stderr } = await nexusPrompt(kernel, ['--session', '0190f0e0-0000-7000-8000-000000000000', '--channel', 'telegram']);

    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe('nexus prompt: no session has the id "0190f0e0-0000-7000-8000-000000000000"; list the sessions, with their ids and keys, with `nexus sessions list`\n');
  });

  it.each([
    ['no --session', ['--channel', 'telegram'], "required option '--session <SESSION>' not specified"],
    ['no --channel', ['--session', 'abc'], "required option '--channel <CHANNEL>' not specified"],
    ['an empty --session', ['--session', ' ', '--channel', 'telegram'], "option '--session <SESSION>' argument ' ' is invalid: it needs a value, not a blank one"],
    ['an unknown option', ['--session', 'abc', '--channel', 'telegram', '--verbose'], "unknown option '--verbose'"],
    ['a positional argument', ['--session', 'abc', '--channel', 'telegram', 'extra'], "too many arguments for 'prompt': expected 0 arguments but got 1"],
    ['--session without its value', ['--channel', 'telegram', '--session'], "option '--session <SESSION>' argument missing"],
  ])('exits 2 with one line naming the problem, the help and the plugin for %s', async (_what, argv, message) => {
    await using kernel = promptKernel(settings());

    const { code, stdout, stderr } = await nexusPrompt(kernel, argv);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`nexus prompt: ${message}; see \`nexus help prompt\` (plugin agent)\n`);
  });

  it('prints the help the manifest declares for --help', async () => {
    await using kernel = promptKernel(settings());
    const { code, stdout } = await nexusPrompt(kernel, ['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: nexus prompt \[options\]\n\nPrint the system prompt the agent runtime would send/);
    expect(stdout).toMatch(/--session <SESSION> +the session, by its id or its key/);
    expect(stdout).toMatch(/--message <TEXT> +the inbound message \(default: ""\)/);
  });
});

describe('nexus prompt from the command line', () => {
  const cli = join(import.meta.dirname, '../../../dist/cli/main.js');
  const run = promisify(execFile);
  const nexus = async (args: string[], cwd: string) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd, env: { PATH: process.env.PATH, NEXUS_HOME: join(cwd, '.home') } });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it.skipIf(!existsSync(cli))('is routed to the agent plugin: bad arguments exit 2, an unknown session exits 1', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'nexus.yaml'), 'database:\n  url: "memory:"\n');

    const bad = await nexus(['prompt', '--channel', 'telegram'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("nexus prompt: required option '--session <SESSION>' not specified; see `nexus help prompt` (plugin agent)\n");

    const unknown = await nexus(['prompt', '--session', '0190f0e0-0000-7000-8000-000000000000', '--channel', 'telegram'], dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('nexus prompt: no session has the id "0190f0e0-0000-7000-8000-000000000000"');

    const malformed = await nexus(['prompt', '--session', 'nope', '--channel', 'telegram'], dir);
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/^nexus prompt: no session has the key "nope" \(an id is a UUID .*; list the sessions, with their ids and keys, with `nexus sessions list`\n$/);
  });
});
