import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseSkillFile } from './front-matter.js';
import type { Skill, SkillProblem, SkillSource } from './skill-types.js';

export interface SkillRoot {
  readonly dir: string;
  readonly source: SkillSource;
}

export interface Discovery {
  /** The winning skill for each name, sorted by name. */
  readonly skills: readonly Skill[];
  /** Skills hidden by a same-named one from a higher-precedence source. */
  readonly shadowed: readonly (Skill & { readonly shadowedBy: string })[];
  /** SKILL.md files that could not be read; the other skills still load. */
  readonly problems: readonly SkillProblem[];
}

/**
 * Reads `<root>/<skill>/SKILL.md` from each root, in the order given (highest precedence first):
 * the first skill with a name wins. A missing root is simply empty.
 */
export function discoverSkills(roots: readonly SkillRoot[]): Discovery {
  const byName = new Map<string, Skill>();
  const shadowed: (Skill & { shadowedBy: string })[] = [];
  const problems: SkillProblem[] = [];
  for (const root of roots) {
    for (const folder of subfolders(root.dir)) {
      const file = join(folder, 'SKILL.md');
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        const { code, message } = error as NodeJS.ErrnoException;
        if (code !== 'ENOENT') problems.push({ file, line: 1, column: 1, message: `cannot read SKILL.md: ${message}`, hint: 'check the file\'s permissions' });
        continue;
      }
      const parsed = parseSkillFile(text, file, folder, root.source);
      if ('problem' in parsed) {
        problems.push(parsed.problem);
        continue;
      }
      const winner = byName.get(parsed.skill.name);
      if (winner) shadowed.push({ ...parsed.skill, shadowedBy: winner.file });
      else byName.set(parsed.skill.name, parsed.skill);
    }
  }
  const skills = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  return { skills, shadowed, problems };
}

function subfolders(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names
    .map((name) => resolve(dir, name))
    .filter((path) => {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    });
}
