import { createToken } from './tokens.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface CliCommandContext extends CliIo {
  /** Arguments after the command name, unparsed. */
  readonly argv: readonly string[];
  /** The `--config` file in effect, if any. */
  readonly configPath: string | undefined;
  readonly signal: AbortSignal;
}

/**
 * A `nexus <name>` sub-command contributed by a plugin. It is routed by the manifest
 * (`contributes.commands`), so only its plugin loads, and only when the command runs; its
 * description there is what `nexus plugins info` shows. Returns the process exit code.
 */
export interface CliCommand {
  readonly name: string;
  run(ctx: CliCommandContext): Promise<number>;
}

export const CliCommands = createToken<CliCommand>('nexus.contrib.commands');
