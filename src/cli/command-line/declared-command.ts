import { Argument, type Command, InvalidArgumentError, Option } from 'commander';
import type { CliArgumentDeclaration, CliCommandDeclaration, CliOptionDeclaration, CliValue, CliValues } from '@nexus/plugin-sdk';
import { requireSubcommand } from './subcommand-required.js';

/** What a declared (sub-)command was given, parsed and typed, keyed by the manifest's names. */
export interface DeclaredInput {
  readonly subcommand: string;
  readonly args: CliValues;
  readonly options: CliValues;
}

type Parse = (value: string) => string | number;

const PARSERS: Readonly<Record<'string' | 'number' | 'integer', Parse>> = {
  string: (value) => {
    if (value.trim() === '') throw new InvalidArgumentError('it needs a value, not a blank one.');
    return value;
  },
  number: (value) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number)) throw new InvalidArgumentError('expected a number.');
    return number;
  },
  integer: (value) => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError('expected a whole number.');
    return Number(value);
  },
};

function argumentFor(declared: CliArgumentDeclaration): Argument {
  const name = `${declared.name}${declared.variadic ? '...' : ''}`;
  const argument = new Argument(declared.required === false ? `[${name}]` : `<${name}>`, declared.description ?? '');
  const parse = PARSERS[declared.type ?? 'string'];
  if (declared.choices) argument.choices(declared.choices);
  else if (declared.variadic) argument.argParser((value: string, previous: unknown) => [...(Array.isArray(previous) ? previous : []), parse(value)]);
  else argument.argParser(parse);
  if (declared.default !== undefined) argument.default(declared.default);
  return argument;
}

function optionFor(declared: CliOptionDeclaration): Option {
  const flags = `${declared.short ? `-${declared.short}, ` : ''}--${declared.name}`;
  if (declared.type === 'boolean') {
    const flag = new Option(flags, declared.description ?? '');
    return declared.default === true ? flag.default(true) : flag;
  }
  const option = new Option(`${flags} <${declared.valueName ?? declared.name}>`, declared.description ?? '');
  if (declared.choices) option.choices(declared.choices);
  else option.argParser(PARSERS[declared.type]);
  if (declared.required) option.makeOptionMandatory();
  if (declared.default !== undefined) option.default(declared.default);
  return option;
}

/**
 * Adds a manifest's command under `parent`, sub-commands and all. `run` is called with the
 * (sub-)command that ran and its typed input. Declarations commander cannot take (two options
 * sharing a flag, a variadic argument before another) throw here, naming the command.
 */
export function addDeclaredCommand(
  parent: Command,
  declared: CliCommandDeclaration,
  pluginId: string,
  run: (command: Command, input: DeclaredInput) => Promise<void>,
  below: readonly string[] = [],
): Command {
  const command = parent.command(declared.name).description(declared.description ?? '');
  if (declared.subcommands) {
    for (const sub of declared.subcommands) addDeclaredCommand(command, sub, pluginId, run, [...below, sub.name]);
    return requireSubcommand(command, pluginId);
  }
  const options = (declared.options ?? []).map((o) => [o, optionFor(o)] as const);
  for (const argument of declared.arguments ?? []) command.addArgument(argumentFor(argument));
  for (const [, option] of options) command.addOption(option);
  command.action(async function (this: Command) {
    const args: Record<string, CliValue | undefined> = {};
    (declared.arguments ?? []).forEach((argument, i) => (args[argument.name] = this.processedArgs[i] as CliValue | undefined));
    const values: Record<string, CliValue | undefined> = {};
    for (const [declaredOption, option] of options) {
      const value = this.getOptionValue(option.attributeName()) as CliValue | undefined;
      values[declaredOption.name] = declaredOption.type === 'boolean' ? value === true : value;
    }
    await run(this, { subcommand: below.join(' '), args, options: values });
  });
  return command;
}
