import { describe, expect, it } from 'vitest';
import { parseSkillFile } from '../../../src/builtin-plugins/skills/front-matter.js';

const parse = (text: string) => parseSkillFile(text, '/s/demo/SKILL.md', '/s/demo', 'workspace');

describe('SKILL.md front matter', () => {
  it('reads name, description, homepage and metadata', () => {
    const result = parse(
      '---\nname: git-helper\ndescription: Helps with git\nhomepage: https://example.com\nmetadata:\n  emoji: "🔧"\n  os: [linux, darwin]\n  requires:\n    bins: [git]\n    anyBins: [vim, nano]\n    env: [GIT_TOKEN]\n    config: [memory.enabled]\n  primaryEnv: GIT_TOKEN\n  skillKey: git\n---\n# body\n',
    );
    expect(result).toEqual({
      skill: {
        name: 'git-helper',
        description: 'Helps with git',
        homepage: 'https://example.com',
        metadata: { emoji: '🔧', always: false, os: ['linux', 'darwin'], requires: { bins: ['git'], anyBins: ['vim', 'nano'], env: ['GIT_TOKEN'], config: ['memory.enabled'] }, primaryEnv: 'GIT_TOKEN', skillKey: 'git' },
        file: '/s/demo/SKILL.md',
        dir: '/s/demo',
        source: 'workspace',
      },
    });
  });

  it('gives file:line:col for invalid YAML, counting from the top of SKILL.md', () => {
    const result = parse('---\nname: demo\ndescription: [unclosed\n---\n');
    expect('problem' in result && result.problem).toMatchObject({ file: '/s/demo/SKILL.md', line: 3 });
    if (!('problem' in result)) throw new Error('expected a problem');
    expect(result.problem.message).toMatch(/not valid YAML/);
    expect(result.problem.hint).toMatch(/fix the YAML/);
  });

  it('points at a bad name and says what a good one looks like', () => {
    const result = parse('---\ndescription: ok\nname: Bad_Name\n---\n');
    expect(result).toEqual({ problem: { file: '/s/demo/SKILL.md', line: 3, column: 7, message: 'the name "Bad_Name" is not lowercase letters, digits and hyphens', hint: 'set `name:` to something like `git-helper` ([a-z0-9-])' } });
  });

  it('requires a description', () => {
    const result = parse('---\nname: demo\n---\n');
    expect('problem' in result && result.problem.message).toBe('the front matter has no description');
  });

  it('requires front matter and its closing line', () => {
    expect('problem' in parse('# just markdown\n') && parse('# just markdown\n')).toMatchObject({ problem: { line: 1, message: 'SKILL.md does not start with YAML front matter' } });
    expect(parse('---\nname: demo\n')).toMatchObject({ problem: { message: 'the front matter has no closing `---` line' } });
  });

  it('rejects metadata of the wrong type, pointing at metadata', () => {
    const result = parse('---\nname: demo\ndescription: d\nmetadata:\n  requires:\n    bins: git\n---\n');
    expect(result).toMatchObject({ problem: { line: 5, message: 'metadata.requires.bins is not a list of strings' } });
  });

  it('treats YAML tags as data and never constructs objects from them', () => {
    const result = parse('---\nname: demo\ndescription: !!js/function "function () { return 1 }"\n---\n');
    // yaml 2 does not know the js tags: it warns and keeps the scalar as a plain string.
    expect(result).toMatchObject({ skill: { name: 'demo', description: 'function () { return 1 }' } });
  });
});
