import {
  ConfigFileError,
  ConfigSourceConflict,
  defaultHome,
  emptyConfig,
  Kernel,
  loadConfigFile,
  loggerFor,
  resolveConfigSource,
  type ConfigSource,
  type KernelOptions,
  type LoadedConfig,
  type LogLevel,
} from '../kernel/index.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface GlobalOptions {
  readonly config?: string;
  readonly profile?: string;
  /** `--log-level`: wins over logging.level and $NEXUS_LOG_LEVEL for this run. */
  readonly logLevel?: LogLevel;
  /** `--json` given before the command. */
  readonly json?: boolean;
}

/** Exit codes every command uses. `notRunning` (3, as LSB `status` scripts use it): the command needs a running gateway and none is. */
export const EXIT = { ok: 0, problems: 1, usage: 2, notRunning: 3 } as const;

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

/** Where the config comes from (see resolveConfigSource for the precedence). */
export function configSource(options: GlobalOptions, io: CliIo): ConfigSource {
  try {
    return resolveConfigSource({ configFlag: options.config, profileFlag: options.profile, env: io.env, cwd: io.cwd, home: defaultHome(io.env) });
  } catch (error) {
    if (error instanceof ConfigSourceConflict) throw new CliExit(EXIT.usage, error.message);
    throw new CliExit(EXIT.usage, (error as Error).message);
  }
}

/** The config in effect, with `${VAR}` interpolation and `NEXUS_*` overrides from the environment. */
export function loadConfig(options: GlobalOptions, io: CliIo): LoadedConfig {
  const source = configSource(options, io);
  // As NEXUS_LOG_LEVEL would: the environment overrides are applied where the config is read.
  const env = options.logLevel ? { ...io.env, NEXUS_LOG_LEVEL: options.logLevel } : io.env;
  return source.path ? loadConfigFile(source.path, { env, source }) : emptyConfig({ env, source });
}

/** A kernel for a CLI command: config from the global options, home and workspace from the environment. */
export function createKernel(options: GlobalOptions, io: CliIo, extra: Partial<KernelOptions> = {}): Kernel {
  return new Kernel({ config: loadConfig(options, io), home: defaultHome(io.env), workspaceDir: io.cwd, ...extra });
}

/**
 * A kernel for a plugin's command (`chat`, `auth`, `migrate`, …). What the command prints is its
 * output, so plugins' routine info logs (the gateway `chat --embedded` opens announcing its
 * address, say) stay out of it: warnings and errors still show, and `logging.level` (or
 * NEXUS_LOG_LEVEL) set explicitly wins. A plugin that fails on the way is the command's error to
 * print, once.
 */
export function createCommandKernel(options: GlobalOptions, io: CliIo): Kernel {
  const config = loadConfig(options, io);
  return new Kernel({ config, home: defaultHome(io.env), workspaceDir: io.cwd, logger: loggerFor(config.data.logging, undefined, 'warn'), callerReportsFailures: true });
}

export { ConfigFileError };
