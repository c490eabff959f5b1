import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAFETY_TEXT } from '../../../src/builtin-plugins/agent/prompt/safety-section.js';
import { tempDir } from './agent-test-kit.js';
import { buildPrompt, expectGolden, FULL_PROFILE, FULL_WORKSPACE, promptKernel, sectionNames, workspaceWith } from './prompt-test-kit.js';

const everything = (workspace: string, extra: Record<string, unknown> = {}) => ({
  ...FULL_PROFILE,
  workspace: { path: workspace },
  session: { heartbeat: { enabled: true } },
  tools: { notes: 'Use the staging database for experiments.' },
  ...extra,
});

describe('system prompt: the built-in sections', () => {
  it('assembles every built-in section, in the Go order, safety last', async () => {
    await using kernel = promptKernel(everything(workspaceWith(FULL_WORKSPACE)));

    const prompt = await buildPrompt(kernel);

    expect(sectionNames(prompt)).toEqual([
      'identity',
      'user-profile',
      'workspace-agents',
      'workspace-soul',
      'workspace-user',
      'workspace-identity',
      'workspace-memory',
      'heartbeat',
      'tool-notes',
      'safety',
    ]);
    expect(prompt.sections.map((s) => s.pluginId)).toEqual([...Array(7).fill('workspace'), 'agent', 'agent', 'agent']);
    expect(prompt.failed).toEqual([]);
    expectGolden('full', prompt.text);
  });

  it('identity: only the fields that are set, blank ones count as unset', async () => {
    await using kernel = promptKernel({ identity: { name: 'Nyx', creature: '  ', emoji: '🦉' }, user: FULL_PROFILE.user, workspace: { enabled: false } });
    expectGolden('identity-partial', (await buildPrompt(kernel)).text);
  });

  it('user profile: addressed by name when there is no preferred address', async () => {
    await using kernel = promptKernel({ identity: FULL_PROFILE.identity, user: { name: 'Grace', timezone: 'America/New_York' }, workspace: { enabled: false } });
    expectGolden('user-name-only', (await buildPrompt(kernel)).text);
  });

  it('user profile: details without any name still appear', async () => {
    await using kernel = promptKernel({ identity: FULL_PROFILE.identity, user: { pronouns: 'they/them' }, workspace: { enabled: false } });
    expectGolden('user-no-label', (await buildPrompt(kernel)).text);
  });

  it('bootstrap guidance: asks for both when identity and user profile are empty', async () => {
    await using kernel = promptKernel({ workspace: { enabled: false } });
    const prompt = await buildPrompt(kernel);
    expect(sectionNames(prompt)).toEqual(['bootstrap-guidance', 'safety']);
    expectGolden('bootstrap-both-missing', prompt.text);
  });

  it('bootstrap guidance: asks only for what is missing, and is absent once both are set', async () => {
    await using kernel = promptKernel({ user: { name: 'Ada' }, workspace: { enabled: false } });
    expectGolden('bootstrap-identity-missing', (await buildPrompt(kernel)).text);

    await using complete = promptKernel({ ...FULL_PROFILE, workspace: { enabled: false } });
    expect(sectionNames(await buildPrompt(complete))).not.toContain('bootstrap-guidance');
  });

  it('workspace files: missing files read as empty and are left out', async () => {
    await using kernel = promptKernel({ ...FULL_PROFILE, workspace: { path: workspaceWith({ 'SOUL.md': 'Be kind.', 'MEMORY.md': '\n\n   \n' }) } });
    const prompt = await buildPrompt(kernel);
    expect(sectionNames(prompt)).toEqual(['identity', 'user-profile', 'workspace-soul', 'safety']);
    expectGolden('workspace-some-missing', prompt.text);
  });

  it('workspace files: each is capped by workspace.max_chars with a visible truncation marker', async () => {
    const long = `${'The quick brown fox jumps over the lazy dog. '.repeat(4)}END`;
    await using kernel = promptKernel({ ...FULL_PROFILE, workspace: { path: workspaceWith({ 'AGENTS.md': long, 'SOUL.md': 'short' }), max_chars: 50 } });
    const prompt = await buildPrompt(kernel);
    expect(prompt.text).not.toContain('END');
    expectGolden('workspace-truncated', prompt.text);
  });

  it('workspace files: max_chars counts characters, so an emoji is never split', async () => {
    await using kernel = promptKernel({ ...FULL_PROFILE, workspace: { path: workspaceWith({ 'SOUL.md': '🦉🦉🦉🦉🦉' }), max_chars: 3 } });
    const soul = (await buildPrompt(kernel)).sections.find((s) => s.name === 'workspace-soul')!;
    expect(soul.text).toBe('Persona and boundaries (SOUL.md):\n🦉🦉🦉\n[… truncated: 3 of 5 characters shown]');
  });

  it('workspace files: renamed and absolute file settings are read where they point', async () => {
    const elsewhere = workspaceWith({ 'persona.md': 'From an absolute path.' });
    const dir = workspaceWith({ 'docs/agents.md': 'From a renamed file.' });
    await using kernel = promptKernel({ ...FULL_PROFILE, workspace: { path: dir, agents_file: 'docs/agents.md', soul_file: join(elsewhere, 'persona.md') } });
    const prompt = await buildPrompt(kernel);
    expect(prompt.sections.filter((s) => s.name.startsWith('workspace-')).map((s) => s.text)).toEqual([
      'Workspace instructions (docs/agents.md):\nFrom a renamed file.',
      `Persona and boundaries (${join(elsewhere, 'persona.md')}):\nFrom an absolute path.`,
    ]);
  });

  it('workspace files: a relative workspace.path belongs to the config file\'s folder', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'ws'));
    writeFileSync(join(root, 'ws', 'AGENTS.md'), 'Relative to the config.');
    await using kernel = promptKernel({ ...FULL_PROFILE, workspace: { path: 'ws' } }, { configPath: join(root, 'nexus.yaml') });
    expect((await buildPrompt(kernel)).sections.find((s) => s.name === 'workspace-agents')?.text).toBe('Workspace instructions (AGENTS.md):\nRelative to the config.');
  });

  it('workspace files: none are read while workspace.enabled is false', async () => {
    await using kernel = promptKernel({ ...FULL_PROFILE, workspace: { path: workspaceWith(FULL_WORKSPACE), enabled: false } });
    const prompt = await buildPrompt(kernel);
    expect(sectionNames(prompt)).toEqual(['identity', 'user-profile', 'safety']);
    expectGolden('workspace-disabled', prompt.text);
  });

  it('workspace files: an unreadable file fails only its own section, which is reported', async () => {
    const dir = workspaceWith({ 'SOUL.md': 'Still here.' });
    mkdirSync(join(dir, 'AGENTS.md'));
    await using kernel = promptKernel({ ...FULL_PROFILE, workspace: { path: dir } });
    const prompt = await buildPrompt(kernel);
    expect(sectionNames(prompt)).toEqual(['identity', 'user-profile', 'workspace-soul', 'safety']);
    expect(prompt.failed).toEqual([
      { name: 'workspace-agents', pluginId: 'workspace', error: expect.stringMatching(/^cannot read .*AGENTS\.md \(workspace\.agents_file\): it is a folder, not a file; make it a readable file or point workspace\.agents_file elsewhere$/) },
    ]);
  });
});

describe('system prompt: heartbeat checklist', () => {
  const workspace = () => workspaceWith({ 'HEARTBEAT.md': '- [ ] Check the build.\n' });

  it('is left out while session.heartbeat is disabled', async () => {
    await using kernel = promptKernel({ ...FULL_PROFILE, workspace: { path: workspace() } });
    expect(sectionNames(await buildPrompt(kernel, { content: 'heartbeat' }))).not.toContain('heartbeat');
  });

  it('mode always: is in every prompt', async () => {
    await using kernel = promptKernel({ ...FULL_PROFILE, workspace: { path: workspace() }, session: { heartbeat: { enabled: true, mode: 'always' } } });
    const prompt = await buildPrompt(kernel, { content: 'what is for lunch?' });
    expectGolden('heartbeat-always', prompt.text);
  });

  it.each([
    ['an ordinary message', { content: 'what is for lunch?' }, false],
    ['a message that only starts with the word', { content: 'heartbeats are fascinating' }, false],
    ['metadata.heartbeat set by the scheduler', { content: 'tick', metadata: { heartbeat: true } }, true],
    ['the text "heartbeat"', { content: '  HeartBeat  ' }, true],
    ['the text "heartbeat <more>"', { content: 'heartbeat check the build' }, true],
    ['a truthy but non-boolean metadata.heartbeat', { content: 'tick', metadata: { heartbeat: 'yes' } }, false],
  ])('mode on_demand: for %s it is %s', async (_what, turn, included) => {
    await using kernel = promptKernel({ ...FULL_PROFILE, workspace: { path: workspace() }, session: { heartbeat: { enabled: true, mode: 'on_demand' } } });
    expect(sectionNames(await buildPrompt(kernel, turn)).includes('heartbeat')).toBe(included);
  });

  it('reads the checklist from the workspace folder, not the current directory', async () => {
    const dir = workspaceWith({ 'checks/daily.md': 'From the workspace.' });
    expect(process.cwd()).not.toBe(dir);
    await using kernel = promptKernel({ ...FULL_PROFILE, workspace: { path: dir, enabled: false }, session: { heartbeat: { enabled: true, file: 'checks/daily.md' } } });
    const heartbeat = (await buildPrompt(kernel)).sections.find((s) => s.name === 'heartbeat');
    expect(heartbeat?.text).toMatch(/HEARTBEAT_OK\):\nFrom the workspace\.$/);
  });

  it('is left out when the checklist file is missing', async () => {
    await using kernel = promptKernel({ ...FULL_PROFILE, workspace: { path: tempDir() }, session: { heartbeat: { enabled: true } } });
    expect(sectionNames(await buildPrompt(kernel))).not.toContain('heartbeat');
  });
});

describe('system prompt: tool notes', () => {
  const base = { ...FULL_PROFILE };

  it('joins the inline notes and tools.notes_file, read relative to the workspace', async () => {
    const dir = workspaceWith({ 'notes/tools.txt': 'From the notes file.', 'TOOLS.md': 'Not used: notes_file wins.' });
    await using kernel = promptKernel({ ...base, workspace: { path: dir }, tools: { notes: 'Inline note.', notes_file: 'notes/tools.txt' } });
    expectGolden('tool-notes-inline-and-file', (await buildPrompt(kernel)).text);
  });

  it('falls back to the workspace TOOLS.md when no notes file is set', async () => {
    await using kernel = promptKernel({ ...base, workspace: { path: workspaceWith({ 'TOOLS.md': 'From TOOLS.md.' }) }, tools: { notes: 'Inline note.' } });
    expect((await buildPrompt(kernel)).sections.find((s) => s.name === 'tool-notes')?.text).toBe('Tool notes:\nInline note.\nFrom TOOLS.md.');
  });

  it('uses only the inline notes when the notes file is missing', async () => {
    await using kernel = promptKernel({ ...base, workspace: { path: workspaceWith({ 'TOOLS.md': 'Not used.' }) }, tools: { notes: 'Inline note.', notes_file: 'missing.md' } });
    expect((await buildPrompt(kernel)).sections.find((s) => s.name === 'tool-notes')?.text).toBe('Tool notes:\nInline note.');
  });

  it('does not fall back to TOOLS.md while the workspace is disabled', async () => {
    await using kernel = promptKernel({ ...base, workspace: { path: workspaceWith({ 'TOOLS.md': 'Not used.' }), enabled: false }, tools: { notes: 'Inline note.' } });
    expect((await buildPrompt(kernel)).sections.find((s) => s.name === 'tool-notes')?.text).toBe('Tool notes:\nInline note.');
  });

  it('caps the notes file by workspace.max_chars', async () => {
    await using kernel = promptKernel({ ...base, workspace: { path: workspaceWith({ 'TOOLS.md': 'abcdefghij' }), max_chars: 4 } });
    expect((await buildPrompt(kernel)).sections.find((s) => s.name === 'tool-notes')?.text).toBe('Tool notes:\nabcd\n[… truncated: 4 of 10 characters shown]');
  });

  it('is left out when there are no notes at all', async () => {
    await using kernel = promptKernel({ ...base, workspace: { path: tempDir() } });
    expect(sectionNames(await buildPrompt(kernel))).toEqual(['identity', 'user-profile', 'safety']);
  });
});

describe('system prompt: safety defaults', () => {
  it('always closes the prompt with the safety rules', async () => {
    await using kernel = promptKernel({ ...FULL_PROFILE, workspace: { enabled: false } });
    const prompt = await buildPrompt(kernel);
    expect(prompt.sections.at(-1)).toEqual({ name: 'safety', pluginId: 'agent', text: SAFETY_TEXT });
    expectGolden('safety', SAFETY_TEXT);
  });
});
