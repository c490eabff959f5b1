import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { CliCommands, type CliCommandContext, type CliCommandDeclaration } from '@nexus/plugin-sdk';
import { parseDeclaredCommand, UsageError } from '../../src/cli/command-line/index.js';
import { runReportingUsage } from '../../src/cli/commands/plugin-command.js';
import type { TestKernel } from '../../src/kernel/testing/index.js';

export interface CommandRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `nexus <name> <argv…>` as the CLI does, on a test kernel: the words are parsed against the
 * plugin's manifest declaration, bad input ends with the host's usage error and exit code 2, and
 * the command gets typed arguments and options. The kernel keeps running, for the next command.
 */
export async function runCommandLine(
  kernel: TestKernel,
  name: string,
  argv: readonly string[],
  context: Partial<CliCommandContext> = {},
): Promise<CommandRun> {
  const { manifest, declared } = declaration(kernel, name);
  let stdout = '';
  let stderr = '';
  try {
    const { path, input } = await parseDeclaredCommand(declared, manifest.id, argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
    const command = await kernel.contributions.get(CliCommands, name);
    const code = await runReportingUsage(command, manifest.id, path, {
      ...input,
      configPath: undefined,
      signal: AbortSignal.timeout(20_000),
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      ...context,
    });
    return { code, stdout, stderr };
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return { code: 0, stdout, stderr };
    if (!(error instanceof UsageError)) throw error;
    return { code: 2, stdout, stderr: `${stderr}${error.message}\n` };
  }
}

type Manifest = { readonly id: string; readonly contributes?: { readonly commands?: readonly CliCommandDeclaration[] } };

const builtins = join(import.meta.dirname, '../../src/builtin-plugins');

/** The declaration of `name`: the plugin under test's, or a built-in's (the kernel may hold several). */
function declaration(kernel: TestKernel, name: string): { readonly manifest: Manifest; readonly declared: CliCommandDeclaration } {
  const paths = [kernel.summary().path, ...readdirSync(builtins).map((dir) => join(builtins, dir, 'nexus.plugin.json'))];
  for (const path of paths) {
    let manifest: Manifest;
    try {
      manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
    } catch {
      continue;
    }
    const declared = manifest.contributes?.commands?.find((c) => c.name === name);
    if (declared) return { manifest, declared };
  }
  throw new Error(`no manifest declares the command "${name}" (looked in ${kernel.summary().path} and the built-in plugins)`);
}
