import type { Command } from 'commander';
import { didYouMean } from '../../kernel/index.js';
import { UsageError } from './usage-error.js';

/** `nexus help [command...]`: the same help as `nexus <command...> --help`. */
export function addHelpCommand(program: Command): void {
  program
    .command('help')
    .description('show the help of a command, e.g. nexus help auth api-key create')
    .argument('[command...]', 'the command, with its sub-commands')
    .action((words: string[]) => {
      let target = program;
      for (const [i, word] of words.entries()) {
        const next = target.commands.find((sub) => sub.name() === word);
        if (!next) {
          const suggestion = didYouMean(word, target.commands.map((sub) => sub.name()));
          throw new UsageError('', `there is no command "${words.slice(0, i + 1).join(' ')}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`);
        }
        target = next;
      }
      target.outputHelp();
    });
}
