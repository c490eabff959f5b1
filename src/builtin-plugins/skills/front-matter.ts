import { LineCounter, parseDocument } from 'yaml';
import type { Skill, SkillMetadata, SkillProblem, SkillSource } from './skill-types.js';

const NAME = /^[a-z0-9-]+$/;

export type ParsedSkill = { readonly skill: Skill } | { readonly problem: SkillProblem };

/**
 * Reads the YAML front matter of a SKILL.md as data (the yaml library's parser, no tags that
 * construct objects, nothing imported or run). Every problem names file:line:column, where line
 * counts from the top of SKILL.md, and says how to fix it.
 */
export function parseSkillFile(text: string, file: string, dir: string, source: SkillSource): ParsedSkill {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== '---') {
    return problem(file, 1, 1, 'SKILL.md does not start with YAML front matter', 'make the first line `---`, then `name:` and `description:`, then a closing `---` line');
  }
  const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  if (end < 0) return problem(file, 1, 1, 'the front matter has no closing `---` line', 'add a line `---` after the front matter');

  const counter = new LineCounter();
  const doc = parseDocument(lines.slice(1, end).join('\n'), { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = counter.linePos(first.pos[0]);
    // +1: the front matter starts on the line after the opening `---`.
    return problem(file, pos.line + 1, pos.col, `the front matter is not valid YAML: ${first.message.split('\n')[0]}`, 'fix the YAML between the `---` lines (quote values that contain `:` or `#`)');
  }
  const data: unknown = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return problem(file, 2, 1, 'the front matter is not a mapping', 'write it as `key: value` lines, with at least name and description');
  }
  const fm = data as Record<string, unknown>;
  const at = (key: string): [number, number] => {
    const node = doc.get(key, true) as { range?: [number, number, number] } | undefined;
    if (!node?.range) return [2, 1];
    const pos = counter.linePos(node.range[0]);
    return [pos.line + 1, pos.col];
  };

  if (typeof fm.name !== 'string' || !NAME.test(fm.name)) {
    const [line, col] = at('name');
    return problem(file, line, col, fm.name === undefined ? 'the front matter has no name' : `the name ${JSON.stringify(fm.name)} is not lowercase letters, digits and hyphens`, 'set `name:` to something like `git-helper` ([a-z0-9-])');
  }
  if (typeof fm.description !== 'string' || fm.description.trim() === '') {
    const [line, col] = at('description');
    return problem(file, line, col, 'the front matter has no description', 'add `description:` saying in one line when the agent should use the skill');
  }
  if (fm.homepage !== undefined && typeof fm.homepage !== 'string') {
    const [line, col] = at('homepage');
    return problem(file, line, col, 'homepage is not a string', 'set `homepage:` to a URL, or remove it');
  }
  const metadata = readMetadata(fm.metadata);
  if (typeof metadata === 'string') {
    const [line, col] = at('metadata');
    return problem(file, line, col, metadata, 'see the Skills section of the operator guide for the metadata fields and their types');
  }
  return {
    skill: {
      name: fm.name,
      description: fm.description.trim(),
      ...(fm.homepage !== undefined ? { homepage: fm.homepage } : {}),
      metadata,
      file,
      dir,
      source,
    },
  };
}

/** The metadata block, or a message saying which field has the wrong type. */
function readMetadata(raw: unknown): SkillMetadata | string {
  if (raw === undefined || raw === null) return { always: false, os: [], requires: { bins: [], anyBins: [], env: [], config: [] } };
  if (typeof raw !== 'object' || Array.isArray(raw)) return 'metadata is not a mapping';
  const m = raw as Record<string, unknown>;
  const req = (m.requires ?? {}) as Record<string, unknown>;
  if (typeof req !== 'object' || Array.isArray(req)) return 'metadata.requires is not a mapping';
  const lists: Record<string, unknown> = { 'metadata.os': m.os, 'metadata.requires.bins': req.bins, 'metadata.requires.anyBins': req.anyBins, 'metadata.requires.env': req.env, 'metadata.requires.config': req.config };
  for (const [key, value] of Object.entries(lists)) {
    if (value !== undefined && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) return `${key} is not a list of strings`;
  }
  for (const key of ['emoji', 'primaryEnv', 'skillKey'] as const) {
    if (m[key] !== undefined && typeof m[key] !== 'string') return `metadata.${key} is not a string`;
  }
  if (m.always !== undefined && typeof m.always !== 'boolean') return 'metadata.always is not true or false';
  const strings = (v: unknown): readonly string[] => (v as string[] | undefined) ?? [];
  return {
    ...(m.emoji !== undefined ? { emoji: m.emoji as string } : {}),
    always: m.always === true,
    os: strings(m.os),
    requires: { bins: strings(req.bins), anyBins: strings(req.anyBins), env: strings(req.env), config: strings(req.config) },
    ...(m.primaryEnv !== undefined ? { primaryEnv: m.primaryEnv as string } : {}),
    ...(m.skillKey !== undefined ? { skillKey: m.skillKey as string } : {}),
  };
}

function problem(file: string, line: number, column: number, message: string, hint: string): { problem: SkillProblem } {
  return { problem: { file, line, column, message, hint } };
}
