import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ConfigAccess } from '@nexus/plugin-sdk';
import type { CheckedSkill, Skill } from './skill-types.js';
import type { SkillEntry } from './skills-settings.js';

export interface EligibilityContext {
  readonly entries: Readonly<Record<string, SkillEntry>>;
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  /** A dotted config path, such as `memory.enabled`, looked up in the loaded config. */
  readonly configValue: (path: string) => unknown;
}

/** Go's OS names beside Node's. */
const OS_ALIASES: Readonly<Record<string, string>> = { windows: 'win32', macos: 'darwin' };

/**
 * Decides eligibility in the Go order: `always` wins; a disabled entry loses; then OS, every bin,
 * one of anyBins, env and config. Unlike Go it gathers every failed requirement, so an operator
 * fixes them in one go.
 */
export function checkSkill(skill: Skill, ctx: EligibilityContext): CheckedSkill {
  const meta = skill.metadata;
  if (meta.always) return { ...skill, eligible: true, reasons: [] };
  const key = meta.skillKey ?? skill.name;
  const entry = ctx.entries[key];
  if (entry?.enabled === false) return { ...skill, eligible: false, reasons: [`disabled in skills.entries.${key}.enabled`] };

  const reasons: string[] = [];
  if (meta.os.length > 0 && !meta.os.some((os) => (OS_ALIASES[os] ?? os) === ctx.platform)) {
    reasons.push(`needs OS ${meta.os.join(' or ')}, this is ${ctx.platform}`);
  }
  const missing = meta.requires.bins.filter((bin) => !onPath(bin, ctx.env));
  if (missing.length > 0) reasons.push(`missing on PATH: ${missing.join(', ')}`);
  if (meta.requires.anyBins.length > 0 && !meta.requires.anyBins.some((bin) => onPath(bin, ctx.env))) {
    reasons.push(`needs one of these on PATH: ${meta.requires.anyBins.join(', ')}`);
  }
  const unset = meta.requires.env.filter((name) => !ctx.env[name] && !entry?.env?.[name]);
  if (unset.length > 0) reasons.push(`environment variable not set: ${unset.join(', ')} (set it, or skills.entries.${key}.env.<NAME>)`);
  const falsy = meta.requires.config.filter((path) => !ctx.configValue(path));
  if (falsy.length > 0) reasons.push(`config not set or false: ${falsy.join(', ')}`);
  return { ...skill, eligible: reasons.length === 0, reasons };
}

/** Reads a dotted path from the loaded config, section by section. */
export function configLookup(config: ConfigAccess): (path: string) => unknown {
  return (path) => {
    const [section, ...rest] = path.split('.');
    let value: unknown = section ? config.section(section) : undefined;
    for (const key of rest) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  };
}

/** Is `bin` an executable file in one of PATH's folders? Nothing is run. */
export function onPath(bin: string, env: NodeJS.ProcessEnv): boolean {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const path = join(dir, bin + ext);
      try {
        if (!statSync(path).isFile()) continue;
        accessSync(path, constants.X_OK);
        return true;
      } catch {
        // not here; try the next folder
      }
    }
  }
  return false;
}
