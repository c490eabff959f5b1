import { join } from 'node:path';
import {
  launchAgentsDir,
  launchdLabel,
  launchdLogFiles,
  renderLaunchAgent,
  renderSystemdUnit,
  systemdUnitName,
  systemdUserDir,
  type ServiceSpec,
} from '../../../kernel/service/index.js';

/** Everything `nexus service` needs to know about this machine; the CLI fills it from the process, tests by hand. */
export interface ServiceHost {
  readonly platform: NodeJS.Platform;
  readonly env: NodeJS.ProcessEnv;
  /** The user's home folder (units live under it). */
  readonly home: string;
  readonly nexusHome: string;
  readonly user: string;
  readonly uid: number;
  readonly nodePath: string;
  readonly cliPath: string;
  /** The profile in effect, which names the unit and is passed to `serve`. */
  readonly profile?: string;
  /** The config file in effect when no profile is: passed as `serve --config`. */
  readonly configPath?: string;
  /** server.host and server.http_port from the config, for /readyz. */
  readonly server: { readonly host?: string; readonly http_port?: number };
  /** How long install waits for /readyz. */
  readonly readyTimeoutMs: number;
}

/** One platform's unit: its file, its name for the service manager, and its text. */
export interface UnitFile {
  readonly kind: 'systemd' | 'launchd';
  readonly path: string;
  /** `nexus.service` or the launchd label. */
  readonly name: string;
  readonly text: string;
  /** launchd has no journal: where the service's output goes. */
  readonly logFiles?: { readonly out: string; readonly err: string };
}

export function serviceSpec(host: ServiceHost): ServiceSpec {
  const args = host.profile !== undefined ? ['serve', '--profile', host.profile] : host.configPath !== undefined ? ['serve', '--config', host.configPath] : ['serve'];
  return { ...(host.profile !== undefined ? { profile: host.profile } : {}), nodePath: host.nodePath, cliPath: host.cliPath, args, nexusHome: host.nexusHome };
}

/** The unit this host would install, or undefined on a platform with no supported service manager. */
export function unitFor(host: ServiceHost): UnitFile | undefined {
  const spec = serviceSpec(host);
  if (host.platform === 'linux') {
    const name = `${systemdUnitName(host.profile)}.service`;
    return { kind: 'systemd', path: join(systemdUserDir(host.env, host.home), name), name, text: renderSystemdUnit(spec) };
  }
  if (host.platform === 'darwin') {
    const name = launchdLabel(host.profile);
    return { kind: 'launchd', path: join(launchAgentsDir(host.home), `${name}.plist`), name, text: renderLaunchAgent(spec), logFiles: launchdLogFiles(host.nexusHome, host.profile) };
  }
  return undefined;
}

/** How to run without a service manager, for the messages that cannot install one. */
export function foregroundCommand(host: ServiceHost): string {
  return ['nexus', ...serviceSpec(host).args].join(' ');
}
