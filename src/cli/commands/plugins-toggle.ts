import { join, resolve } from 'node:path';
import { didYouMean, readRunning, setPluginEnabled, type Kernel } from '../../kernel/index.js';
import { CliExit, EXIT, type CliIo } from '../cli-context.js';

/**
 * `nexus plugins enable|disable <id>`: records the choice in the config file (creating
 * ./nexus.yaml when there is none) and reports what will actually happen, since deny, allow and
 * the global switch outrank a per-plugin entry.
 */
export function pluginsToggle(kernel: Kernel, io: CliIo, id: string, enabled: boolean): number {
  const record = kernel.record(id);
  if (!record) {
    const suggestion = didYouMean(id, kernel.list().map((p) => p.id));
    throw new CliExit(EXIT.problems, `no plugin "${id}" was found${suggestion ? `; did you mean "${suggestion}"?` : ''}; nothing was changed`);
  }
  const path = kernel.config.path ?? join(io.cwd, 'nexus.yaml');
  const { created } = setPluginEnabled(path, id, enabled);
  io.stdout(`${enabled ? 'Enabled' : 'Disabled'} ${id} in ${path}${created ? ' (created)' : ''}.\n`);

  const plugins = kernel.config.data.plugins as { enabled?: boolean; deny?: string[]; allow?: string[] } | undefined;
  if (enabled && plugins?.enabled === false) io.stderr('note: plugins.enabled is false, which disables every plugin.\n');
  if (enabled && plugins?.deny?.includes(id)) io.stderr(`note: ${id} is listed in plugins.deny, which wins; remove it from there too.\n`);
  if (plugins?.allow && !plugins.allow.includes(id) && enabled) io.stderr(`note: plugins.allow does not list ${id}, which keeps it disabled; add it there too.\n`);
  if (!enabled && plugins?.allow?.includes(id)) io.stderr(`note: ${id} is listed in plugins.allow, which wins; remove it from there too.\n`);
  io.stdout(whenItApplies(kernel.home, path));
  return EXIT.ok;
}

/**
 * What is true of the change: later commands use it at once, and a running `nexus serve` applies
 * it on `nexus config reload` (a reload re-plans enablement, stopping or starting the plugin),
 * but only if that serve reads this file.
 */
function whenItApplies(home: string, path: string): string {
  const running = readRunning(home);
  if (!running) return 'Nexus commands use it from now on; a `nexus serve` started later does too (a running one would apply it on `nexus config reload`).\n';
  if (running.config !== null && resolve(running.config) === resolve(path)) {
    return `The running nexus serve (pid ${running.pid}) reads this file: run \`nexus config reload\` to apply the change without a restart.\n`;
  }
  const reads = running.config === null ? 'no config file' : running.config;
  return `The running nexus serve (pid ${running.pid}) reads ${reads}, not this file: \`nexus config reload\` will not apply the change; start it with this file to use it.\n`;
}
