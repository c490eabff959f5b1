import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runSkills, skillsKernel, skillText, tempDir, writeSkill } from './skills-test-kit.js';

function workspaceWithSkills(): { ws: string; files: { ready: string; blocked: string; broken: string } } {
  const ws = tempDir();
  const root = join(ws, 'skills');
  return {
    ws,
    files: {
      ready: writeSkill(root, 'ready', skillText('name: ready\ndescription: Always ready\nmetadata:\n  emoji: "✅"')),
      blocked: writeSkill(root, 'blocked', skillText('name: blocked\ndescription: Needs a missing tool\nmetadata:\n  requires:\n    bins: [surely-not-installed-tool]')),
      broken: writeSkill(root, 'broken', skillText('name: broken\ndescription: "unterminated')),
    },
  };
}

describe('nexus skills', () => {
  it('list shows eligible skills and reports broken ones on stderr with file:line:col', async () => {
    const { ws, files } = workspaceWithSkills();
    await using kernel = skillsKernel({ workspace: { path: ws } });
    const run = await runSkills(kernel, ['list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`✅ ready  [workspace]  Always ready\n    ${files.ready}\n    eligible\n`);
    expect(run.stdout).not.toContain('blocked');
    expect(run.stderr).toMatch(new RegExp(`^${files.broken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:\\d+: the front matter is not valid YAML`));
  });

  it('list --all --json adds ineligible skills with their reasons', async () => {
    const { ws } = workspaceWithSkills();
    await using kernel = skillsKernel({ workspace: { path: ws } });
    const run = await runSkills(kernel, ['list', '--all', '--json']);
    const out = JSON.parse(run.stdout) as { skills: { name: string; eligible: boolean; reasons: string[] }[]; shadowed: unknown[]; problems: { line: number }[] };
    expect(out.skills.map((s) => [s.name, s.eligible, s.reasons])).toEqual([
      ['blocked', false, ['missing on PATH: surely-not-installed-tool']],
      ['ready', true, []],
    ]);
    expect(out.shadowed).toEqual([]);
    expect(out.problems).toHaveLength(1);
    expect(out.problems[0]?.line).toBe(3);
  });

  it('list --all shows shadowed skills and what shadows them', async () => {
    const ws = tempDir();
    const extra = tempDir();
    const winner = writeSkill(join(ws, 'skills'), 'dup', skillText('name: dup\ndescription: workspace copy'));
    const loser = writeSkill(extra, 'dup', skillText('name: dup\ndescription: extra copy'));
    await using kernel = skillsKernel({ workspace: { path: ws }, skills: { extra_dirs: [extra] } });
    const run = await runSkills(kernel, ['list', '--all']);
    expect(run.stdout).toContain(`dup  [extra]  shadowed by ${winner}\n    ${loser}\n`);
  });

  it('show prints the front matter and eligibility, and --content the whole file', async () => {
    const { ws, files } = workspaceWithSkills();
    await using kernel = skillsKernel({ workspace: { path: ws } });
    const run = await runSkills(kernel, ['show', 'blocked']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  eligible:    no (missing on PATH: surely-not-installed-tool)\n');
    expect(run.stdout).toContain('  bins:        surely-not-installed-tool\n');
    expect(run.stdout).not.toContain('Do the thing carefully');
    const content = await runSkills(kernel, ['show', 'blocked', '--content']);
    expect(content.stdout).toContain(readFileSync(files.blocked, 'utf8'));
    const missing = await runSkills(kernel, ['show', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no skill named "nope"; run `nexus skills list --all`');
  });

  it('check counts, gives reasons and fails on broken front matter', async () => {
    const { ws } = workspaceWithSkills();
    await using kernel = skillsKernel({ workspace: { path: ws } });
    const run = await runSkills(kernel, ['check']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('1 eligible, 1 ineligible, 1 unreadable.\n  blocked: missing on PATH: surely-not-installed-tool\n');
    expect(run.stderr).toContain('broken/SKILL.md:3:');
  });

  it('disable and enable write skills.entries.<name>.enabled, keeping comments', async () => {
    const { ws } = workspaceWithSkills();
    const dir = tempDir();
    const config = join(dir, 'nexus.yaml');
    const original = '# my config\nworkspace:\n  path: WS # where the files are\n\n# skills below\nskills:\n  extra_dirs: [] # none yet\n';
    writeFileSync(config, original.replace('WS', ws));
    await using kernel = skillsKernel({ workspace: { path: ws } }, config);

    const off = await runSkills(kernel, ['disable', 'ready'], config);
    expect(off.code).toBe(0);
    expect(off.stdout).toBe(`Set skills.entries.ready.enabled to false in ${config}.\n`);
    const text = readFileSync(config, 'utf8');
    for (const comment of ['# my config', '# where the files are', '# skills below', '# none yet']) expect(text).toContain(comment);
    expect(parse(text)).toEqual({ workspace: { path: ws }, skills: { extra_dirs: [], entries: { ready: { enabled: false } } } });

    const on = await runSkills(kernel, ['enable', 'ready', '--json'], config);
    expect(JSON.parse(on.stdout)).toEqual({ name: 'ready', key: 'ready', enabled: true, config });
    expect((parse(readFileSync(config, 'utf8')) as { skills: unknown }).skills).toEqual({ extra_dirs: [], entries: { ready: { enabled: true } } });
    expect(readFileSync(config, 'utf8')).toContain('# where the files are');
  });

  it('disable refuses an unknown skill, a config that does not parse, and leaves the file alone', async () => {
    const { ws } = workspaceWithSkills();
    const config = join(tempDir(), 'nexus.yaml');
    writeFileSync(config, 'skills: [oops\n');
    await using kernel = skillsKernel({ workspace: { path: ws } }, config);
    const unknown = await runSkills(kernel, ['disable', 'nope'], config);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no skill named "nope"');
    const bad = await runSkills(kernel, ['disable', 'ready'], config);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/nexus\.yaml:\d+:\d+: the config file is not valid YAML .*; fix it first, nothing was changed/);
    expect(readFileSync(config, 'utf8')).toBe('skills: [oops\n');
  });
});
