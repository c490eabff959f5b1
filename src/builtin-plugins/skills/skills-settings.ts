import { dirname, resolve } from 'node:path';
import type { ConfigAccess } from '@nexus/plugin-sdk';

export interface SkillEntry {
  readonly enabled?: boolean;
  readonly env?: Readonly<Record<string, string>>;
}

/** The `skills` section with the manifest's defaults applied. */
export interface SkillsSettings {
  readonly entries: Readonly<Record<string, SkillEntry>>;
  readonly extra_dirs: readonly string[];
}

export function readSkillsSettings(config: ConfigAccess): SkillsSettings {
  const settings = config.section<Partial<SkillsSettings>>('skills');
  return { entries: settings?.entries ?? {}, extra_dirs: settings?.extra_dirs ?? [] };
}

/** Relative paths in the config belong to the config file's folder (the current directory without one). */
export function configBase(config: ConfigAccess): string {
  return config.path ? dirname(resolve(config.path)) : process.cwd();
}

/** The workspace folder from the workspace plugin's `workspace.path`, resolved as that plugin does. */
export function workspaceFolder(config: ConfigAccess): string {
  const path = config.section<{ path?: string }>('workspace')?.path ?? '.';
  return resolve(configBase(config), path);
}
