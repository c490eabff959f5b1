import { join, resolve } from 'node:path';
import type { ConfigAccess } from '@nexus/plugin-sdk';
import { discoverSkills, type Discovery, type SkillRoot } from './discover-skills.js';
import { checkSkill, configLookup } from './eligibility.js';
import type { CheckedSkill } from './skill-types.js';
import { configBase, readSkillsSettings, workspaceFolder } from './skills-settings.js';

/** Skills shipped with this plugin; the folder may be absent. */
export const BUNDLED_SKILLS_DIR = join(import.meta.dirname, 'skills');

export interface Catalog extends Omit<Discovery, 'skills'> {
  readonly roots: readonly SkillRoot[];
  readonly skills: readonly CheckedSkill[];
}

/** The folders skills come from, highest precedence first. */
export function skillRoots(config: ConfigAccess, bundledDir = BUNDLED_SKILLS_DIR): SkillRoot[] {
  const settings = readSkillsSettings(config);
  const base = configBase(config);
  return [
    { dir: join(workspaceFolder(config), 'skills'), source: 'workspace' },
    { dir: join(config.home, 'skills'), source: 'home' },
    { dir: bundledDir, source: 'bundled' },
    ...settings.extra_dirs.map((dir) => ({ dir: resolve(base, dir), source: 'extra' as const })),
  ];
}

/** Finds every skill and decides which are eligible, reading the files afresh. */
export function loadCatalog(config: ConfigAccess, env: NodeJS.ProcessEnv = process.env, bundledDir = BUNDLED_SKILLS_DIR): Catalog {
  const roots = skillRoots(config, bundledDir);
  const found = discoverSkills(roots);
  const ctx = { entries: readSkillsSettings(config).entries, platform: process.platform, env, configValue: configLookup(config) };
  return { roots, shadowed: found.shadowed, problems: found.problems, skills: found.skills.map((skill) => checkSkill(skill, ctx)) };
}
