import { resolve } from 'node:path';
import { didYouMean, type Kernel } from '../../kernel/index.js';
import { CliExit, EXIT, type CliIo } from '../cli-context.js';
import { formatDiagnostics } from '../output/index.js';
import { describePermission } from './plugin-permissions.js';

/** `nexus plugins info <id> [--json]`: everything the manifest and the plan say about one plugin. */
export function pluginsInfo(kernel: Kernel, io: CliIo, id: string, options: { readonly json?: boolean }): number {
  const record = kernel.record(id);
  if (!record) {
    const suggestion = didYouMean(id, kernel.list().map((p) => p.id));
    throw new CliExit(EXIT.problems, `no plugin "${id}" was found${suggestion ? `; did you mean "${suggestion}"?` : ''} (see \`nexus plugins list\`)`);
  }
  const m = record.manifest;
  const info = {
    id: record.id,
    name: m?.name ?? null,
    version: m?.version ?? null,
    description: m?.description ?? null,
    origin: record.origin,
    path: record.manifestPath,
    entry: m?.main ? resolve(record.dir, m.main) : null,
    loads: kernel.loadStrategy(record.id) ?? null,
    enabled: record.enabled,
    enabledBy: record.enabledBy,
    required: record.required,
    state: record.state,
    engines: m?.engines ?? {},
    activationEvents: [...record.activationEvents],
    requires: m?.requires ?? {},
    permissions: (m?.permissions ?? []).map((service) => ({ service, providers: kernel.sensitiveServiceProviders(service) })),
    contributes: m?.contributes ?? {},
    hasConfigSchema: m?.configSchema !== undefined,
    diagnostics: record.diagnostics,
  };
  if (options.json) {
    io.stdout(`${JSON.stringify(info, null, 2)}\n`);
    return EXIT.ok;
  }
  const contributes = Object.entries(info.contributes)
    .map(([kind, items]) => `${kind}: ${(items as ContributedItem[]).map(describeItem).join(', ')}`)
    .join('; ');
  const lines = [
    `${info.name ?? info.id} (${info.id}) ${info.version ?? ''}`.trimEnd(),
    ...(info.description ? [info.description] : []),
    '',
    `  state:       ${info.state}`,
    `  enabled:     ${info.enabled ? 'yes' : 'no'} (${info.enabledBy})${info.required ? ', required' : ''}`,
    `  origin:      ${info.origin}`,
    `  manifest:    ${info.path}`,
    `  entry:       ${info.entry ?? 'none (declarative: config sections only)'}${info.loads ? ` (${info.loads === 'native' ? 'imported natively' : 'compiled on load, sharing the host inversify and SDK'})` : ''}`,
    `  engines:     ${info.engines.nexus ?? 'any'}`,
    `  activation:  ${info.activationEvents.join(', ') || 'none (never loads)'}`,
    `  requires:    ${Object.entries(info.requires).map(([k, v]) => `${k}@${v}`).join(', ') || 'nothing'}`,
    `  permissions: ${info.permissions.map(({ service }) => describePermission(kernel, service)).join(', ') || 'none (no sensitive services)'}`,
    `  contributes: ${contributes || 'nothing'}`,
    `  config:      ${info.hasConfigSchema ? 'has a configSchema' : 'takes no config'}`,
  ];
  io.stdout(`${lines.join('\n')}\n`);
  if (info.diagnostics.length > 0) io.stdout(`\n${formatDiagnostics(info.diagnostics)}`);
  return EXIT.ok;
}

interface ContributedItem {
  readonly name?: string;
  readonly prefix?: string;
  readonly auth?: string;
  readonly slot?: string;
  readonly section?: string;
}

/** One contribution, with the fact the host enforces from the manifest where there is one (a route's auth policy). */
function describeItem(item: ContributedItem): string {
  if (item.prefix !== undefined) return `${item.prefix} (auth: ${item.auth})`;
  return item.name ?? item.slot ?? item.section ?? '?';
}
