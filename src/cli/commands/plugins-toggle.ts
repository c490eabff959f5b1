import { join } from 'node:path';
import { didYouMean, setPluginEnabled, type Kernel } from '../../kernel/index.js';
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
  io.stdout('Restart Nexus for the change to take effect.\n');
  return EXIT.ok;
}
