import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Diagnostic } from '@nexus/plugin-sdk';
import type { Kernel } from '../../kernel/index.js';
import { EXIT, type CliIo } from '../cli-context.js';
import { formatDiagnostics } from '../output/index.js';

/**
 * `nexus plugins doctor [--json]`: every manifest-level problem, with file:line:col and a fix.
 * Checks config slices of all plugins and that entry files exist, but never imports plugin code.
 */
export function pluginsDoctor(kernel: Kernel, io: CliIo, options: { readonly json?: boolean }): number {
  const plugins = kernel.list();
  const problems: Diagnostic[] = [...kernel.diagnostics(), ...plugins.flatMap((p) => p.diagnostics)];
  for (const plugin of plugins) {
    const record = kernel.record(plugin.id);
    if (!record?.manifest?.main || !record.enabled) continue;
    const entry = resolve(record.dir, record.manifest.main);
    if (!statSync(entry, { throwIfNoEntry: false })?.isFile()) {
      problems.push({
        level: 'error',
        code: 'plugin.entry-missing',
        message: `entry module not found: ${entry}`,
        pluginId: plugin.id,
        source: { file: record.manifestPath, pointer: '/main' },
        hint: 'build the plugin, or fix "main" in its manifest',
      });
    }
  }
  const errors = problems.filter((p) => p.level === 'error').length;
  if (options.json) {
    io.stdout(`${JSON.stringify({ plugins: plugins.length, errors, problems }, null, 2)}\n`);
  } else if (problems.length === 0) {
    io.stdout(`${plural(plugins.length, 'plugin')} checked, no problems found.\n`);
  } else {
    io.stdout(formatDiagnostics(problems));
    io.stdout(`\n${plural(plugins.length, 'plugin')} checked: ${plural(errors, 'error')}, ${plural(problems.length - errors, 'warning')}.\n`);
  }
  return errors > 0 ? EXIT.problems : EXIT.ok;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
