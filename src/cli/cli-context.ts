import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigFileError, defaultHome, emptyConfig, Kernel, loadConfigFile, type KernelOptions, type LoadedConfig } from '../kernel/index.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface GlobalOptions {
  readonly config?: string;
}

/** Exit codes every command uses. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

/** A failure that ends the command with a message and an exit code, but no stack trace. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliExit';
  }
}

/**
 * Which config file applies: `--config`, then `NEXUS_CONFIG`, then `./nexus.yaml`, then
 * `$NEXUS_HOME/nexus.yaml`. Undefined means defaults only.
 */
export function resolveConfigPath(options: GlobalOptions, io: CliIo): string | undefined {
  if (options.config) return resolve(io.cwd, options.config);
  if (io.env.NEXUS_CONFIG) return resolve(io.cwd, io.env.NEXUS_CONFIG);
  const local = join(io.cwd, 'nexus.yaml');
  if (existsSync(local)) return local;
  const home = join(defaultHome(io.env), 'nexus.yaml');
  return existsSync(home) ? home : undefined;
}

export function loadConfig(options: GlobalOptions, io: CliIo): LoadedConfig {
  const path = resolveConfigPath(options, io);
  return path ? loadConfigFile(path) : emptyConfig();
}

/** A kernel for a CLI command: config from the global options, home and workspace from the environment. */
export function createKernel(options: GlobalOptions, io: CliIo, extra: Partial<KernelOptions> = {}): Kernel {
  return new Kernel({ config: loadConfig(options, io), home: defaultHome(io.env), workspaceDir: io.cwd, ...extra });
}

export { ConfigFileError };
