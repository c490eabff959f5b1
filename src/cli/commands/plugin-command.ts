import { CliCommands, CliUsageError, type CliCommand, type CliCommandContext } from '@nexus/plugin-sdk';
import type { Kernel, PluginSummary } from '../../kernel/index.js';
import { EXIT, type CliIo } from '../cli-context.js';
import { UsageError, type DeclaredInput } from '../command-line/index.js';
import { formatDiagnostics } from '../output/index.js';

/**
 * Runs `nexus <name> …` for a command a plugin contributes, with the input the host parsed from
 * its manifest declaration: activates only that plugin (`onCommand:<name>`), runs it, then stops
 * the kernel so deactivation runs. A `CliUsageError` from the command becomes a usage error
 * worded like the host's own.
 */
export async function runPluginCommand(kernel: Kernel, io: CliIo, plugin: PluginSummary, path: string, input: DeclaredInput): Promise<number> {
  const name = path.split(' ')[0]!;
  if (plugin.state === 'failed' || plugin.state === 'quarantined') {
    io.stderr(`nexus: plugin ${plugin.id} contributes the command "${name}" but is ${plugin.state}:\n`);
    io.stderr(formatDiagnostics(plugin.diagnostics.filter((d) => d.level === 'error')));
    return EXIT.problems;
  }
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  try {
    const command = await kernel.contributions.get(CliCommands, name);
    return await runReportingUsage(command, plugin.id, path, { ...input, configPath: kernel.config.path, signal: controller.signal, stdout: io.stdout, stderr: io.stderr });
  } finally {
    process.off('SIGINT', onSignal);
    await kernel.stop('command finished');
  }
}

/** Runs a plugin's command; a `CliUsageError` it throws becomes the host's `UsageError` for `path`. */
export async function runReportingUsage(command: CliCommand, pluginId: string, path: string, ctx: CliCommandContext): Promise<number> {
  try {
    return await command.run(ctx);
  } catch (error) {
    if (error instanceof CliUsageError) throw new UsageError(path, error.message, pluginId);
    throw error;
  }
}
