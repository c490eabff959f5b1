import { Command } from 'commander';
import type { Kernel, PluginSummary } from '../../kernel/index.js';
import { addDeclaredCommand, type DeclaredInput } from './declared-command.js';

export const PLUGIN_COMMANDS_GROUP = 'Plugin commands:';

export type PluginCommandRunner = (plugin: PluginSummary, command: Command, input: DeclaredInput) => Promise<void>;

/**
 * Adds the commands every enabled plugin declares in its manifest, reading manifests only: no
 * plugin code loads until one of them runs. A plugin that failed or was quarantined keeps its
 * commands, so running one says why it cannot. `owners` learns which plugin each command came from. Returns warnings for commands left out: one named
 * like a host command, or declared in a shape commander cannot take. Two plugins declaring one
 * name is the kernel's to report (`nexus plugins doctor`); the first in precedence keeps it.
 */
export function addPluginCommands(program: Command, kernel: Kernel, owners: WeakMap<Command, string>, run: PluginCommandRunner): string[] {
  const warnings: string[] = [];
  const host = new Set(program.commands.map((c) => c.name()));
  const taken = new Set(host);
  for (const plugin of kernel.list()) {
    if (!plugin.enabled) continue;
    for (const declared of kernel.record(plugin.id)?.manifest?.contributes?.commands ?? []) {
      if (host.has(declared.name)) {
        warnings.push(`plugin ${plugin.id} declares the command "${declared.name}", which is a host command, so it is left out; rename it in ${plugin.path}`);
      }
      if (taken.has(declared.name)) continue;
      taken.add(declared.name);
      // Built apart and added whole, so a declaration that fails half-way leaves nothing behind.
      const scratch = new Command().copyInheritedSettings(program);
      try {
        const command = addDeclaredCommand(scratch, declared, plugin.id, (c, input) => run(plugin, c, input));
        command.helpGroup(PLUGIN_COMMANDS_GROUP).addHelpText('after', `\nContributed by the plugin ${plugin.id} (${plugin.path}).`);
        program.addCommand(command);
        owners.set(command, plugin.id);
      } catch (error) {
        warnings.push(`plugin ${plugin.id}: the command "${declared.name}" is left out: ${(error as Error).message}; fix its declaration in ${plugin.path}`);
      }
    }
  }
  return warnings;
}
