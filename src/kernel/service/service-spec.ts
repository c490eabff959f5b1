import { join } from 'node:path';

/** A fixed PATH for the service: never the installing shell's, which may be a version manager's. */
export const SERVICE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The first line of every file `nexus service install` writes; doctor only rewrites files that carry it. */
export const SERVICE_MARKER = 'Written by `nexus service install`';

/** What a service runs, independent of the platform. */
export interface ServiceSpec {
  /** The profile the service serves, if any: it names the unit. */
  readonly profile?: string;
  /** Absolute path of the node binary. */
  readonly nodePath: string;
  /** Absolute path of the nexus CLI script (dist/cli/main.js). */
  readonly cliPath: string;
  /** Arguments after the CLI: `serve` and how it finds its config. */
  readonly args: readonly string[];
  /** `$NEXUS_HOME`, passed to the service and used as its working directory. */
  readonly nexusHome: string;
}

/** `nexus` or `nexus-<profile>`: the systemd unit name without `.service`. */
export function systemdUnitName(profile: string | undefined): string {
  return profile === undefined ? 'nexus' : `nexus-${profile}`;
}

/** `dev.nexus.gateway` or `dev.nexus.gateway.<profile>`: the launchd label. */
export function launchdLabel(profile: string | undefined): string {
  return profile === undefined ? 'dev.nexus.gateway' : `dev.nexus.gateway.${profile}`;
}

export function systemdUserDir(env: NodeJS.ProcessEnv, home: string): string {
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(home, '.config');
  return join(configHome, 'systemd', 'user');
}

export function launchAgentsDir(home: string): string {
  return join(home, 'Library', 'LaunchAgents');
}

/** Where launchd writes the service's output (launchd has no journal). */
export function launchdLogFiles(nexusHome: string, profile: string | undefined): { readonly out: string; readonly err: string } {
  const base = join(nexusHome, 'logs', profile === undefined ? 'gateway' : `gateway-${profile}`);
  return { out: `${base}.out.log`, err: `${base}.err.log` };
}

/** Folders of version managers whose node moves or disappears on upgrade. */
const VERSION_MANAGER = /\/(\.nvm|\.fnm|fnm|\.volta|\.asdf|mise|\.local\/share\/mise|\.nodenv|n\/versions|\.local\/state\/fnm_multishells)\//;

/** Whether a node path belongs to a version manager (the unit still works until that version is removed). */
export function isVersionManagerPath(path: string): boolean {
  return VERSION_MANAGER.test(path);
}
