import { describe, expect, it } from 'vitest';
import { checkSkill, type EligibilityContext } from '../../../src/builtin-plugins/skills/eligibility.js';
import type { Skill, SkillMetadata } from '../../../src/builtin-plugins/skills/skill-types.js';
import { fakeBin } from './skills-test-kit.js';

function skill(meta: Partial<Omit<SkillMetadata, 'requires'>> & { requires?: Partial<SkillMetadata['requires']> } = {}): Skill {
  const { requires, ...rest } = meta;
  return {
    name: 'demo',
    description: 'a demo',
    file: '/skills/demo/SKILL.md',
    dir: '/skills/demo',
    source: 'workspace',
    metadata: { always: false, os: [], ...rest, requires: { bins: [], anyBins: [], env: [], config: [], ...requires } },
  };
}

function ctx(over: Partial<EligibilityContext> = {}): EligibilityContext {
  return { entries: {}, platform: 'linux', env: { PATH: '' }, configValue: () => undefined, ...over };
}

describe('skill eligibility', () => {
  it('is eligible with no requirements', () => {
    expect(checkSkill(skill(), ctx())).toMatchObject({ eligible: true, reasons: [] });
  });

  it('always wins over a disabled entry and unmet requirements', () => {
    const s = skill({ always: true, os: ['darwin'], requires: { bins: ['nope'] } });
    expect(checkSkill(s, ctx({ entries: { demo: { enabled: false } } }))).toMatchObject({ eligible: true, reasons: [] });
  });

  it('an entry with enabled false makes it ineligible, keyed by skillKey when set', () => {
    expect(checkSkill(skill(), ctx({ entries: { demo: { enabled: false } } }))).toMatchObject({ eligible: false, reasons: ['disabled in skills.entries.demo.enabled'] });
    const keyed = skill({ skillKey: 'demo-key' });
    expect(checkSkill(keyed, ctx({ entries: { demo: { enabled: false } } })).eligible).toBe(true);
    expect(checkSkill(keyed, ctx({ entries: { 'demo-key': { enabled: false } } })).reasons).toEqual(['disabled in skills.entries.demo-key.enabled']);
  });

  it('checks the OS, accepting Go names', () => {
    expect(checkSkill(skill({ os: ['darwin', 'windows'] }), ctx()).reasons).toEqual(['needs OS darwin or windows, this is linux']);
    expect(checkSkill(skill({ os: ['windows'] }), ctx({ platform: 'win32' })).eligible).toBe(true);
    expect(checkSkill(skill({ os: ['linux'] }), ctx()).eligible).toBe(true);
  });

  it('needs every bin on PATH', () => {
    const dir = fakeBin('present-tool');
    const s = skill({ requires: { bins: ['present-tool', 'absent-tool'] } });
    expect(checkSkill(s, ctx({ env: { PATH: dir } })).reasons).toEqual(['missing on PATH: absent-tool']);
    expect(checkSkill(skill({ requires: { bins: ['present-tool'] } }), ctx({ env: { PATH: dir } })).eligible).toBe(true);
  });

  it('needs one of anyBins on PATH', () => {
    const dir = fakeBin('second');
    expect(checkSkill(skill({ requires: { anyBins: ['first', 'second'] } }), ctx({ env: { PATH: dir } })).eligible).toBe(true);
    expect(checkSkill(skill({ requires: { anyBins: ['first', 'third'] } }), ctx({ env: { PATH: dir } })).reasons).toEqual(['needs one of these on PATH: first, third']);
  });

  it('needs each env variable set, in the environment or the entry', () => {
    const s = skill({ requires: { env: ['API_TOKEN', 'OTHER'] } });
    expect(checkSkill(s, ctx({ env: { PATH: '', API_TOKEN: 'x' } })).reasons).toEqual(['environment variable not set: OTHER (set it, or skills.entries.demo.env.<NAME>)']);
    expect(checkSkill(s, ctx({ env: { PATH: '', API_TOKEN: 'x' }, entries: { demo: { env: { OTHER: 'y' } } } })).eligible).toBe(true);
    expect(checkSkill(s, ctx({ env: { PATH: '', API_TOKEN: '' , OTHER: 'y' } })).eligible).toBe(false);
  });

  it('needs each config path truthy', () => {
    const values: Record<string, unknown> = { 'memory.enabled': true, 'browser.enabled': false };
    const s = skill({ requires: { config: ['memory.enabled', 'browser.enabled', 'missing.key'] } });
    expect(checkSkill(s, ctx({ configValue: (p) => values[p] })).reasons).toEqual(['config not set or false: browser.enabled, missing.key']);
  });

  it('gathers every failed requirement', () => {
    const s = skill({ os: ['darwin'], requires: { bins: ['gone'], env: ['NOPE'] } });
    expect(checkSkill(s, ctx()).reasons).toHaveLength(3);
  });
});
