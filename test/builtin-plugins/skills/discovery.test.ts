import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConfigAccess } from '@nexus/plugin-sdk';
import { loadCatalog } from '../../../src/builtin-plugins/skills/skill-catalog.js';
import { skillText, tempDir, writeSkill } from './skills-test-kit.js';

function fakeConfig(home: string, sections: Record<string, unknown>, path?: string): ConfigAccess {
  return { path, home, section: <T>(name: string) => sections[name] as T | undefined };
}

describe('skill discovery', () => {
  it('takes workspace, then $NEXUS_HOME, then bundled, then extra dirs, the first of a name winning', () => {
    const ws = tempDir();
    const home = tempDir();
    const bundled = tempDir();
    const extra = tempDir();
    const wsFile = writeSkill(join(ws, 'skills'), 'a', skillText('name: deploy\ndescription: from the workspace'));
    const homeDeploy = writeSkill(join(home, 'skills'), 'b', skillText('name: deploy\ndescription: from home'));
    const homeNotes = writeSkill(join(home, 'skills'), 'notes', skillText('name: notes\ndescription: home notes'));
    writeSkill(bundled, 'notes', skillText('name: notes\ndescription: bundled notes'));
    writeSkill(bundled, 'weather', skillText('name: weather\ndescription: bundled weather'));
    writeSkill(extra, 'weather', skillText('name: weather\ndescription: extra weather'));
    writeSkill(extra, 'git', skillText('name: git\ndescription: extra git'));

    const config = fakeConfig(home, { workspace: { path: ws }, skills: { entries: {}, extra_dirs: [extra] } });
    const catalog = loadCatalog(config, {}, bundled);

    expect(catalog.skills.map((s) => [s.name, s.source, s.description])).toEqual([
      ['deploy', 'workspace', 'from the workspace'],
      ['git', 'extra', 'extra git'],
      ['notes', 'home', 'home notes'],
      ['weather', 'bundled', 'bundled weather'],
    ]);
    expect(catalog.skills.find((s) => s.name === 'deploy')?.file).toBe(wsFile);
    expect(catalog.shadowed.map((s) => [s.name, s.source, s.shadowedBy]).sort()).toEqual(
      [
        ['deploy', 'home', wsFile],
        ['notes', 'bundled', homeNotes],
        ['weather', 'extra', join(bundled, 'weather', 'SKILL.md')],
      ].sort(),
    );
    expect(homeDeploy).not.toBe(wsFile);
    expect(catalog.problems).toEqual([]);
  });

  it('resolves relative extra dirs against the config file and ignores missing folders and folders without SKILL.md', () => {
    const base = tempDir();
    writeSkill(join(base, 'more'), 'x', skillText('name: x\ndescription: relative'));
    mkdirSync(join(base, 'more', 'no-skill-here'));
    const config = fakeConfig(tempDir(), { workspace: { path: join(base, 'nope') }, skills: { entries: {}, extra_dirs: ['more', 'missing'] } }, join(base, 'nexus.yaml'));
    const catalog = loadCatalog(config, {}, join(base, 'no-bundled'));
    expect(catalog.skills.map((s) => [s.name, s.source, s.file])).toEqual([['x', 'extra', join(base, 'more', 'x', 'SKILL.md')]]);
    expect(catalog.problems).toEqual([]);
  });
});
