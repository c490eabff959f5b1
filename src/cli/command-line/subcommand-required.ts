import type { Command } from 'commander';
import { didYouMean } from '../../kernel/index.js';
import { commandPath, UsageError } from './usage-error.js';

/**
 * A command that only groups others (`nexus plugins`, `nexus auth api-key`) runs only through one
 * of them: alone, or with a word that names none, it says which there are.
 */
export function requireSubcommand(command: Command, pluginId?: string): Command {
  return command.allowExcessArguments(true).action(function (this: Command) {
    const names = this.commands.map((sub) => sub.name());
    const [word] = this.args;
    const choices = `${names.slice(0, -1).join(', ')}${names.length > 1 ? ' or ' : ''}${names.at(-1)}`;
    if (word === undefined) throw new UsageError(commandPath(this), `name a sub-command: ${choices}`, pluginId);
    const suggestion = didYouMean(word, names);
    throw new UsageError(commandPath(this), `unknown sub-command "${word}"${suggestion ? `; did you mean "${suggestion}"?` : `; use ${choices}`}`, pluginId);
  });
}
