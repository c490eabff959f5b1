import type { Command } from 'commander';

/** What completion needs to know about one option. */
export interface CompletedOption {
  readonly short?: string;
  readonly long?: string;
  readonly description: string;
  /** Whether a value follows the flag. */
  readonly takesValue: boolean;
  readonly choices: readonly string[];
}

/** A command as completion sees it, keyed by its path below `nexus` ('' for the program). */
export interface CompletedCommand {
  readonly path: string;
  readonly description: string;
  readonly subcommands: readonly { readonly name: string; readonly description: string }[];
  readonly options: readonly CompletedOption[];
  /** The choices of its first positional argument, when it has a fixed set. */
  readonly argumentChoices: readonly string[];
}

/** Every command in the program's tree (host and plugin commands alike), parents first. */
export function completionTree(program: Command): CompletedCommand[] {
  const out: CompletedCommand[] = [];
  const visit = (command: Command, path: string) => {
    const subcommands = command.commands.map((sub) => ({ name: sub.name(), description: firstLine(sub.description()) }));
    const options = command.options
      .filter((option) => !option.hidden)
      .map((option) => ({
        ...(option.short ? { short: option.short } : {}),
        ...(option.long ? { long: option.long } : {}),
        description: firstLine(option.description),
        takesValue: option.required || option.optional,
        choices: option.argChoices ?? [],
      }));
    const first = command.registeredArguments[0];
    out.push({ path, description: firstLine(command.description()), subcommands, options, argumentChoices: first?.argChoices ?? [] });
    for (const sub of command.commands) visit(sub, path === '' ? sub.name() : `${path} ${sub.name()}`);
  };
  visit(program, '');
  return out;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/** `'it''s'`-style quoting is not portable; this is the POSIX way, good for bash, zsh and fish. */
export function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
