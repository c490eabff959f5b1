/** Where a skill folder came from, highest precedence first. */
export const SKILL_SOURCES = ['workspace', 'home', 'bundled', 'extra'] as const;
export type SkillSource = (typeof SKILL_SOURCES)[number];

export interface SkillRequires {
  readonly bins: readonly string[];
  readonly anyBins: readonly string[];
  readonly env: readonly string[];
  readonly config: readonly string[];
}

export interface SkillMetadata {
  readonly emoji?: string;
  readonly always: boolean;
  readonly os: readonly string[];
  readonly requires: SkillRequires;
  readonly primaryEnv?: string;
  readonly skillKey?: string;
}

/** A parsed `SKILL.md`: its front matter and where it lives. The body is never kept or run. */
export interface Skill {
  readonly name: string;
  readonly description: string;
  readonly homepage?: string;
  readonly metadata: SkillMetadata;
  /** Absolute path of the SKILL.md file. */
  readonly file: string;
  readonly dir: string;
  readonly source: SkillSource;
}

/** A SKILL.md that could not be read as a skill: what, where and how to fix it. */
export interface SkillProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly hint: string;
}

/** A skill with its eligibility decided. */
export interface CheckedSkill extends Skill {
  readonly eligible: boolean;
  /** Why it is not eligible; empty when it is. */
  readonly reasons: readonly string[];
}
