import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the config came from, in the precedence order below. */
export type ConfigOrigin = 'flag' | 'profile-flag' | 'env' | 'env-profile' | 'active-profile' | 'workspace' | 'home' | 'defaults';

export interface ConfigSource {
  /** Absolute path, or undefined when no file applies (defaults only). */
  readonly path: string | undefined;
  readonly origin: ConfigOrigin;
  /** The profile in effect, when the file is one. */
  readonly profile?: string;
}

export interface ConfigSourceInput {
  readonly configFlag?: string;
  readonly profileFlag?: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly home: string;
}

/** Both `--config` and `--profile` were given. */
export class ConfigSourceConflict extends Error {
  constructor() {
    super('--config and --profile both name a config file; give one of them');
    this.name = 'ConfigSourceConflict';
  }
}

const PROFILE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function profilePath(home: string, name: string): string {
  if (!PROFILE_NAME.test(name)) throw new Error(`invalid profile name "${name}": use letters, digits, dots, dashes and underscores`);
  return join(home, 'profiles', `${name}.yaml`);
}

/** The file recording the active profile (`nexus profile use`). */
export function activeProfileFile(home: string): string {
  return join(home, 'active-profile');
}

export function readActiveProfile(home: string): string | undefined {
  try {
    const name = readFileSync(activeProfileFile(home), 'utf8').trim();
    return name === '' ? undefined : name;
  } catch {
    return undefined;
  }
}

/**
 * First match wins; flags before environment, environment before files:
 * `--config`, `--profile`, `NEXUS_CONFIG`, `NEXUS_PROFILE`, the active profile, `./nexus.yaml`,
 * `$NEXUS_HOME/nexus.yaml`, then defaults. A named source that does not exist is reported when
 * it is read; only the implicit files are skipped when absent.
 */
export function resolveConfigSource(input: ConfigSourceInput): ConfigSource {
  if (input.configFlag && input.profileFlag) throw new ConfigSourceConflict();
  if (input.configFlag) return { path: resolve(input.cwd, input.configFlag), origin: 'flag' };
  if (input.profileFlag) return { path: profilePath(input.home, input.profileFlag), origin: 'profile-flag', profile: input.profileFlag };
  if (input.env.NEXUS_CONFIG) return { path: resolve(input.cwd, input.env.NEXUS_CONFIG), origin: 'env' };
  if (input.env.NEXUS_PROFILE) return { path: profilePath(input.home, input.env.NEXUS_PROFILE), origin: 'env-profile', profile: input.env.NEXUS_PROFILE };
  const active = readActiveProfile(input.home);
  if (active) return { path: profilePath(input.home, active), origin: 'active-profile', profile: active };
  const local = join(input.cwd, 'nexus.yaml');
  if (existsSync(local)) return { path: local, origin: 'workspace' };
  const inHome = join(input.home, 'nexus.yaml');
  if (existsSync(inHome)) return { path: inHome, origin: 'home' };
  return { path: undefined, origin: 'defaults' };
}
