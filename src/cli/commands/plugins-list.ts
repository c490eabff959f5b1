import type { Kernel } from '../../kernel/index.js';
import type { CliIo } from '../cli-context.js';
import { EXIT } from '../cli-context.js';
import { formatDiagnostics, table } from '../output/index.js';

/** `nexus plugins list [--json]`: manifests and decisions only; no plugin code runs. */
export function pluginsList(kernel: Kernel, io: CliIo, options: { readonly json?: boolean }): number {
  const plugins = kernel.list();
  if (options.json) {
    io.stdout(`${JSON.stringify(plugins, null, 2)}\n`);
    return EXIT.ok;
  }
  if (plugins.length === 0) {
    io.stdout('No plugins found. Add a folder to plugins.load.paths, or see docs/plugin-authoring.md.\n');
  } else {
    io.stdout(
      table(
        ['ID', 'VERSION', 'ORIGIN', 'ENABLED', 'STATE', 'PATH'],
        plugins.map((p) => [p.id, p.version ?? '-', p.origin, p.enabled ? 'yes' : 'no', p.state + (p.diagnostics.length > 0 ? ` (${p.diagnostics.length} issue${p.diagnostics.length > 1 ? 's' : ''})` : ''), p.path]),
      ),
    );
  }
  const problems = [...kernel.diagnostics(), ...plugins.flatMap((p) => p.diagnostics)];
  if (problems.length > 0) io.stderr(`\n${formatDiagnostics(problems)}`);
  return EXIT.ok;
}
