import { formatSource, type Diagnostic } from '@nexus/plugin-sdk';

/** Renders a diagnostic as a few readable lines: what, where, how to fix. */
export function formatDiagnostic(d: Diagnostic): string {
  const lines = [`${d.level} [${d.code}]${d.pluginId ? ` ${d.pluginId}:` : ''} ${d.message}`];
  const where = formatSource(d.source);
  if (where) lines.push(`    at ${where}`);
  if (d.hint) lines.push(`    hint: ${d.hint}`);
  return lines.join('\n');
}

export function formatDiagnostics(list: readonly Diagnostic[]): string {
  return list.map(formatDiagnostic).join('\n') + (list.length > 0 ? '\n' : '');
}
