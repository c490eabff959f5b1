import { type CommanderError, type Command } from 'commander';

/**
 * Bad input to a command: one style for all of them, whether commander found it (an unknown
 * option, a missing argument, a value of the wrong type) or the command did (a `CliUsageError`):
 * `nexus <command>: <what>; see \`nexus help <command>\``, with the plugin named when a plugin
 * contributed the command. Exit code 2.
 */
export class UsageError extends Error {
  constructor(
    readonly commandPath: string,
    readonly what: string,
    readonly pluginId?: string,
  ) {
    super(`${commandPath === '' ? 'nexus' : `nexus ${commandPath}`}: ${what}; see \`${commandPath === '' ? 'nexus --help' : `nexus help ${commandPath}`}\`${pluginId ? ` (plugin ${pluginId})` : ''}`);
    this.name = 'UsageError';
  }
}

/** `auth api-key create` for that command; '' for the program. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

/**
 * Commander's wording ("error: option '-n, --count <N>' argument 'abc' is invalid. expected a
 * whole number", "(Did you mean --json?)" on a line of its own) as one clause.
 */
export function describeCommanderError(error: CommanderError): string {
  return error.message
    .replace(/^error: /, '')
    .replace(/\n\(Did you mean (.*)\?\)$/, '; did you mean $1?')
    .replace(/\.$/, '')
    .replace(/\. (\w)/g, (_, letter: string) => `: ${letter.toLowerCase()}`);
}

/**
 * Makes every command in the tree report bad input as a `UsageError` instead of printing
 * commander's own message. `--help` and `--version` still end through commander's exit path.
 */
export function reportUsageErrors(command: Command, pluginOf: (command: Command) => string | undefined): void {
  command.exitOverride((error) => {
    if (error.exitCode === 0 || error.code === 'commander.help') throw error;
    throw new UsageError(commandPath(command), describeCommanderError(error), pluginOf(command));
  });
  command.configureOutput({ ...command.configureOutput(), outputError: () => undefined });
  for (const sub of command.commands) reportUsageErrors(sub, pluginOf);
}
