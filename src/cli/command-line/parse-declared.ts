import { Command } from 'commander';
import type { CliCommandDeclaration } from '@nexus/plugin-sdk';
import { addDeclaredCommand, type DeclaredInput } from './declared-command.js';
import { addGlobalOptions } from './global-options.js';
import { commandPath, reportUsageErrors } from './usage-error.js';

/**
 * Parses a plugin command's words (after its name) exactly as `nexus` does, against its manifest
 * declaration alone: for tests and tools that run one command without the whole program. Bad
 * input throws the `UsageError` the CLI would print; `--help` prints the help on `io.stdout`, then
 * throws commander's exit (code 0).
 */
export async function parseDeclaredCommand(
  declared: CliCommandDeclaration,
  pluginId: string,
  argv: readonly string[],
  io: { readonly stdout: (text: string) => void; readonly stderr: (text: string) => void },
): Promise<{ readonly path: string; readonly input: DeclaredInput }> {
  const program = new Command('nexus').enablePositionalOptions().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  let parsed: { path: string; input: DeclaredInput } | undefined;
  addDeclaredCommand(program, declared, pluginId, async (command, input) => {
    parsed = { path: commandPath(command), input };
  });
  addGlobalOptions(program);
  reportUsageErrors(program, () => pluginId);
  await program.parseAsync([declared.name, ...argv], { from: 'user' });
  return parsed!;
}
