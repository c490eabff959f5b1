import type { Diagnostic } from '@nexus/plugin-sdk';
import { renderConfigReference, resolveValues, yamlModule, type Kernel } from '../../kernel/index.js';
import { EXIT, type CliIo } from '../cli-context.js';
import { formatDiagnostics } from '../output/index.js';

/** `nexus config schema [--markdown]`: the composed schema, or the reference page made from it. */
export function configSchemaCommand(kernel: Kernel, io: CliIo, options: { readonly markdown?: boolean }): number {
  const schema = kernel.configSchema();
  io.stdout(options.markdown ? renderConfigReference(schema) : `${JSON.stringify(schema, null, 2)}\n`);
  return EXIT.ok;
}

/** Config problems only: the kernel's, and those recorded on plugins about their config. */
export function configProblems(kernel: Kernel): Diagnostic[] {
  const onPlugins = kernel.list().flatMap((p) => p.diagnostics.filter((d) => d.code.startsWith('config.') || d.code.startsWith('plugin.config-')));
  return [...kernel.diagnostics(), ...onPlugins];
}

/** `nexus config validate [--json]`: every error in the file, against the composed schema; nothing starts. */
export function configValidateCommand(kernel: Kernel, io: CliIo, options: { readonly json?: boolean }): number {
  const problems = configProblems(kernel);
  const errors = problems.filter((d) => d.level === 'error');
  const warnings = problems.filter((d) => d.level !== 'error');
  const file = kernel.config.path ?? '(no file: defaults only)';
  if (options.json) {
    io.stdout(`${JSON.stringify({ file, valid: errors.length === 0, errors, warnings }, null, 2)}\n`);
  } else if (problems.length === 0) {
    io.stdout(`${file}: valid.\n`);
  } else {
    io.stdout(formatDiagnostics(problems));
    io.stdout(`\n${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}.\n`);
  }
  return errors.length > 0 ? EXIT.problems : EXIT.ok;
}

/**
 * `nexus config show [--effective] [--json]`: the resolved config with, for every value, where it
 * came from (file, profile, env or default). Secrets are never printed.
 */
export function configShowCommand(kernel: Kernel, io: CliIo, options: { readonly effective?: boolean; readonly json?: boolean }): number {
  const plan = kernel.plan();
  const resolved = resolveValues(kernel.config, plan.effectiveConfig, kernel.configSchema(), { effective: options.effective === true });
  if (options.json) {
    const origins = Object.fromEntries(resolved.leaves.map((l) => [l.pointer, l.origin]));
    io.stdout(`${JSON.stringify({ file: kernel.config.path ?? null, profile: kernel.config.source?.profile ?? null, config: resolved.values, origins }, null, 2)}\n`);
    return EXIT.ok;
  }
  const origin = new Map(resolved.leaves.map((l) => [l.pointer, l.origin]));
  const header = `# ${kernel.config.path ? `from ${kernel.config.path}` : 'no config file: defaults only'}${kernel.config.source?.profile ? ` (profile ${kernel.config.source.profile})` : ''}\n`;
  const body = Object.keys(resolved.values).length === 0 ? '{}\n' : annotatedYaml(resolved.values, origin);
  io.stdout(header + body);
  return EXIT.ok;
}

/** The values as YAML, each leaf followed by a comment saying where it came from. */
function annotatedYaml(values: Record<string, unknown>, origin: ReadonlyMap<string, string>): string {
  const yaml = yamlModule();
  const doc = new yaml.Document(values);
  yaml.visit(doc, {
    Scalar(_key, node, path) {
      const segments: string[] = [];
      for (let i = 0; i < path.length; i++) {
        const step = path[i];
        if (yaml.isPair(step) && yaml.isScalar(step.key) && step.value === (path[i + 1] ?? node)) segments.push(String(step.key.value));
        if (yaml.isSeq(step)) segments.push(String(step.items.indexOf((path[i + 1] ?? node) as never)));
      }
      const where = origin.get(segments.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''));
      if (where) node.comment = ` ${where}`;
    },
  });
  return doc.toString({ lineWidth: 0 });
}
