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
  /**
   * Where to read the operator's answers, for commands that ask before doing something that cannot
   * be undone; `process.stdin` when absent. Without a terminal (`isTTY`), such commands want `--yes`.
   */
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
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
