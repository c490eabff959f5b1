import { createToken } from './tokens.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** What a command argument or option holds once the host has parsed it. */
export type CliValue = string | number | boolean | readonly string[] | readonly number[];

/** Keyed by the names the manifest declares (`api-key`, not `apiKey`). */
export type CliValues = Readonly<Record<string, CliValue | undefined>>;

/**
 * One positional argument of a command, as `contributes.commands[].arguments[]` declares it.
 * `type` is `string` unless said; `required` is true unless said.
 */
export interface CliArgumentDeclaration {
  readonly name: string;
  readonly description?: string;
  readonly type?: 'string' | 'number' | 'integer';
  readonly required?: boolean;
  /** Takes every remaining word (the value is an array); only the last argument may be. */
  readonly variadic?: boolean;
  readonly choices?: readonly string[];
  readonly default?: string | number;
}

/** One `--option`, as `contributes.commands[].options[]` declares it. A boolean is a flag. */
export interface CliOptionDeclaration {
  readonly name: string;
  /** A one-letter alias: `-n`. */
  readonly short?: string;
  readonly description?: string;
  readonly type: 'string' | 'number' | 'integer' | 'boolean';
  /** What the help shows for the value: `--count <N>`; the option's name by default. */
  readonly valueName?: string;
  readonly required?: boolean;
  readonly default?: string | number | boolean;
  readonly choices?: readonly string[];
}

/**
 * A command (or sub-command) as the manifest declares it. The host builds the parser, the help,
 * the completion and the errors from it, without loading the plugin.
 */
export interface CliCommandDeclaration {
  readonly name: string;
  readonly description?: string;
  readonly arguments?: readonly CliArgumentDeclaration[];
  readonly options?: readonly CliOptionDeclaration[];
  /** A command with sub-commands runs only through one of them (`nexus auth api-key create`). */
  readonly subcommands?: readonly CliCommandDeclaration[];
}

export interface CliCommandContext<Args extends CliValues = CliValues, Options extends CliValues = CliValues> extends CliIo {
  /**
   * The sub-command that was run, its words joined by spaces below the command's own name:
   * `'api-key create'` for `nexus auth api-key create`; `''` for a command without sub-commands.
   */
  readonly subcommand: string;
  /**
   * The positional arguments the manifest declares for that (sub-)command, parsed and typed: a
   * `number`/`integer` argument is a number, a variadic one an array, a missing optional one
   * its `default` or undefined.
   */
  readonly args: Args;
  /**
   * Its options, likewise: a boolean option is always true or false, others hold their value,
   * their `default` or undefined. `json` is true for `--json` given before the command as well.
   */
  readonly options: Options;
  /** The `--config` file in effect, if any. */
  readonly configPath: string | undefined;
  readonly signal: AbortSignal;
  /**
   * Where to read the operator's answers, for commands that ask before doing something that cannot
   * be undone; `process.stdin` when absent. Without a terminal (`isTTY`), such commands want `--yes`.
   */
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

/**
 * A `nexus <name>` sub-command contributed by a plugin. It is routed by the manifest
 * (`contributes.commands`), so only its plugin loads, and only when the command runs. The host
 * parses the command line against the declaration there, so `run` gets typed arguments and
 * options, and bad input never reaches it. Returns the process exit code.
 */
export interface CliCommand {
  readonly name: string;
  run(ctx: CliCommandContext): Promise<number>;
}

export const CliCommands = createToken<CliCommand>('nexus.contrib.commands');

/**
 * Thrown by a command whose input parses but makes no sense (`--embedded` with `--address`,
 * say). The host prints it as it prints its own parse errors, `nexus <command>: <message>; see
 * \`nexus help <command>\``, naming the plugin, and exits 2.
 */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/**
 * Asks the operator a yes/no question on the terminal (`ctx.stdin`, else the process's): resolves
 * true for `y` or `yes`, false for anything else or end of input. Undefined when the input is not
 * a terminal, so there is nobody to ask: the command should then refuse and point at `--yes`.
 */
export async function confirmOnTerminal(ctx: CliCommandContext, question: string): Promise<boolean | undefined> {
  const input = ctx.stdin ?? process.stdin;
  if (input.isTTY !== true) return undefined;
  // Loaded here, not at the top: every process imports the contracts, few ever ask anything.
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input, terminal: false });
  ctx.stdout(question);
  try {
    const answer = await new Promise<string | undefined>((resolve) => {
      lines.once('line', resolve);
      lines.once('close', () => resolve(undefined));
      ctx.signal.addEventListener('abort', () => resolve(undefined), { once: true });
    });
    return answer !== undefined && /^\s*(y|yes)\s*$/i.test(answer);
  } finally {
    lines.close();
  }
}

/** A plain, left-aligned text table for a command's output: columns two spaces apart, no trailing blanks. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n`;
}
