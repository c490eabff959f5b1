import { CliCommands } from '@nexus/plugin-sdk';
import type { Kernel, PluginSummary } from '../../kernel/index.js';
import { EXIT, type CliIo } from '../cli-context.js';

/**
 * Runs `nexus <name> …` for a command a plugin contributes: activates only that plugin
 * (`onCommand:<name>`), runs it, then stops the kernel so deactivation runs.
 */
export async function runPluginCommand(kernel: Kernel, io: CliIo, name: string, argv: readonly string[]): Promise<number> {
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  try {
    const command = await kernel.contributions.get(CliCommands, name);
    return await command.run({
      argv,
      configPath: kernel.config.path,
      signal: controller.signal,
      stdout: io.stdout,
      stderr: io.stderr,
    });
  } finally {
    process.off('SIGINT', onSignal);
    await kernel.stop('command finished');
  }
}

export function pluginCommandNames(kernel: Kernel): readonly string[] {
  return kernel.contributions.names(CliCommands);
}

/** An enabled plugin that declares `name` as a command but cannot run, so the user learns why. */
export function brokenCommandOwner(kernel: Kernel, name: string): PluginSummary | undefined {
  return kernel
    .list()
    .find((p) => p.enabled && (p.state === 'failed' || p.state === 'quarantined') && kernel.record(p.id)?.manifest?.contributes?.commands?.some((c) => c.name === name));
}

export { EXIT };
