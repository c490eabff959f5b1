import type { ConfigAccess } from '@nexus/plugin-sdk';

export interface IdentitySettings {
  readonly name?: string;
  readonly creature?: string;
  readonly vibe?: string;
  readonly emoji?: string;
}

export interface UserSettings {
  readonly name?: string;
  readonly preferred_address?: string;
  readonly pronouns?: string;
  readonly timezone?: string;
  readonly notes?: string;
}

/** The `identity` section with blank fields dropped, so whitespace never counts as set. */
export function readIdentity(config: ConfigAccess): IdentitySettings {
  return nonBlank(config.section<IdentitySettings>('identity'));
}

export function readUser(config: ConfigAccess): UserSettings {
  return nonBlank(config.section<UserSettings>('user'));
}

export function isEmpty(settings: object): boolean {
  return Object.keys(settings).length === 0;
}

function nonBlank<T extends object>(section: T | undefined): T {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(section ?? {})) {
    if (typeof value === 'string' && value.trim() !== '') result[key] = value.trim();
  }
  return result as T;
}
