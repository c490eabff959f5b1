import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tools } from '@nexus/plugin-sdk';
import { renderSection, runDoctorCheck, skillsKernel, skillText, tempDir, writeSkill } from './skills-test-kit.js';

describe('skills prompt section', () => {
  it('lists each eligible skill with its description and SKILL.md path, never its body', async () => {
    const ws = tempDir();
    const root = join(ws, 'skills');
    const a = writeSkill(root, 'alpha', skillText('name: alpha\ndescription: |\n  First skill,\n  on two lines'));
    const b = writeSkill(root, 'beta', skillText('name: beta\ndescription: Second skill\nmetadata:\n  emoji: "🐝"'));
    writeSkill(root, 'gamma', skillText('name: gamma\ndescription: Disabled one'));
    writeSkill(root, 'delta', skillText('name: delta\ndescription: Wrong OS\nmetadata:\n  os: [plan9]'));
    await using kernel = skillsKernel({ workspace: { path: ws }, skills: { entries: { gamma: { enabled: false } } } });
    const text = await renderSection(kernel);
    expect(text).toBe(
      [
        '## Skills',
        "These skills are available. When a task matches a skill's description, read its instructions first with the read_skill tool (or its SKILL.md at the path given), then follow them.",
        `- alpha: First skill, on two lines (${a})`,
        `- 🐝 beta: Second skill (${b})`,
      ].join('\n'),
    );
    expect(text).not.toContain('Do the thing carefully');
  });

  it('renders nothing without eligible skills', async () => {
    await using kernel = skillsKernel({ workspace: { path: tempDir() } });
    expect(await renderSection(kernel)).toBeUndefined();
  });
});

describe('skills doctor check', () => {
  it('reports broken front matter as an error with file:line:col and ineligible skills with reasons', async () => {
    const ws = tempDir();
    const root = join(ws, 'skills');
    const broken = writeSkill(root, 'broken', skillText('description: no name here'));
    writeSkill(root, 'blocked', skillText('name: blocked\ndescription: d\nmetadata:\n  requires:\n    env: [SURELY_UNSET_SKILL_VAR]'));
    writeSkill(root, 'fine', skillText('name: fine\ndescription: d'));
    writeSkill(root, 'off', skillText('name: off\ndescription: d'));
    await using kernel = skillsKernel({ workspace: { path: ws }, skills: { entries: { off: { enabled: false } } } });
    expect(await runDoctorCheck(kernel)).toEqual([
      { level: 'error', message: `skill ${broken}:2:1: the front matter has no name`, hint: 'set `name:` to something like `git-helper` ([a-z0-9-])' },
      {
        level: 'warning',
        message: 'skill blocked is not eligible: environment variable not set: SURELY_UNSET_SKILL_VAR (set it, or skills.entries.blocked.env.<NAME>)',
        hint: `${join(root, 'blocked', 'SKILL.md')}; \`nexus skills show blocked\` lists its requirements`,
      },
      { level: 'warning', message: 'skill off is not eligible: disabled in skills.entries.off.enabled', hint: '`nexus skills enable off` turns it back on' },
    ]);
  });

  it('says all is well when every skill is eligible', async () => {
    const ws = tempDir();
    writeSkill(join(ws, 'skills'), 'fine', skillText('name: fine\ndescription: d'));
    await using kernel = skillsKernel({ workspace: { path: ws }, skills: { entries: { fine: { env: { X: 'y' } } } } });
    expect(await runDoctorCheck(kernel)).toEqual([{ level: 'info', message: 'all 1 skills are eligible' }]);
  });
});

describe('read_skill tool', () => {
  it('returns an eligible skill\'s SKILL.md with {baseDir} expanded, and refuses ineligible or unknown ones', async () => {
    const ws = tempDir();
    const root = join(ws, 'skills');
    const file = writeSkill(root, 'alpha', skillText('name: alpha\ndescription: d', 'Run {baseDir}/script.sh\n'));
    writeSkill(root, 'off', skillText('name: off\ndescription: d'));
    await using kernel = skillsKernel({ workspace: { path: ws }, skills: { entries: { off: { enabled: false } } } });
    const tool = await kernel.contributions.get(Tools, 'read_skill');
    const ctx = { signal: AbortSignal.timeout(10_000), logger: { debug() {}, info() {}, warn() {}, error() {}, child() { return this; } } } as never;
    expect(await tool.execute({ name: 'alpha' }, ctx)).toEqual({ content: `---\nname: alpha\ndescription: d\n---\nRun ${join(root, 'alpha')}/script.sh\n` });
    expect(file).toBe(join(root, 'alpha', 'SKILL.md'));
    expect(await tool.execute({ name: 'off' }, ctx)).toEqual({ isError: true, content: 'the skill off is not available here: disabled in skills.entries.off.enabled' });
    expect(await tool.execute({ name: 'nope' }, ctx)).toEqual({ isError: true, content: 'no skill named "nope"; the available skills are: alpha' });
  });
});
