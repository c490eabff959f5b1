import { isDeepStrictEqual } from 'node:util';
import type { ContributionKind, Diagnostic, JsonSchema } from '@nexus/plugin-sdk';
import type { PluginManifest } from '../manifest/index.js';

/** The input schema of a tool whose manifest entry gives none: it takes no arguments. */
export const NO_ARGUMENTS: JsonSchema = Object.freeze({ type: 'object', properties: Object.freeze({}), additionalProperties: false });

/** A contribution's manifest entry as the host acts on it, and where it sits in the manifest. */
export interface DeclaredEntry {
  readonly declared: Readonly<Record<string, unknown>> & { readonly pluginId: string };
  /** JSON pointer of the entry, for diagnostics. */
  readonly pointer: string;
}

/**
 * The facts each kind's manifest entry states and an object may not contradict. Names are
 * checked by binding (the kernel binds by name); prefix and name are restated here because older
 * objects carried them too.
 */
const FACTS: Partial<Record<ContributionKind, readonly string[]>> = {
  tools: ['name', 'description', 'inputSchema', 'timeoutMs'],
  httpRoutes: ['prefix', 'auth'],
};

/** What `manifest` declares for `name` of `kind`, with defaults filled in; undefined if nothing. */
export function declaredEntry(pluginId: string, manifest: PluginManifest, kind: ContributionKind, name: string): DeclaredEntry | undefined {
  const c = manifest.contributes ?? {};
  if (kind === 'httpRoutes') {
    const index = (c.httpRoutes ?? []).findIndex((r) => r.prefix === name);
    return index < 0 ? undefined : { declared: Object.freeze({ ...c.httpRoutes![index]!, pluginId }), pointer: `/contributes/httpRoutes/${index}` };
  }
  if (kind === 'tools') {
    const index = (c.tools ?? []).findIndex((t) => t.name === name);
    if (index < 0) return undefined;
    const tool = c.tools![index]!;
    const declared = {
      name,
      description: tool.description ?? '',
      inputSchema: tool.inputSchema ?? NO_ARGUMENTS,
      ...(tool.timeoutMs !== undefined ? { timeoutMs: tool.timeoutMs } : {}),
      pluginId,
    };
    return { declared: Object.freeze(declared), pointer: `/contributes/tools/${index}` };
  }
  const items: readonly { name: string; description?: string }[] = c[kind] ?? [];
  const index = items.findIndex((item) => item.name === name);
  return index < 0 ? undefined : { declared: Object.freeze({ ...items[index]!, pluginId }), pointer: `/contributes/${kind}/${index}` };
}

/**
 * Where a contributed object contradicts its manifest entry. The manifest is what the host
 * enforces and what operators are shown (`plugins info`), so an object that says otherwise is
 * a contract error, never a silent override: a route whose object said `public` while its
 * manifest said `token` was once served with no credential check.
 */
export function factMismatches(kind: ContributionKind, name: string, entry: DeclaredEntry, value: unknown, manifestPath: string): Diagnostic[] {
  const facts = FACTS[kind];
  if (!facts || typeof value !== 'object' || value === null) return [];
  const problems: Diagnostic[] = [];
  for (const fact of facts) {
    const stated = (value as Record<string, unknown>)[fact];
    if (stated === undefined) continue;
    const declared = entry.declared[fact];
    if (isDeepStrictEqual(stated, declared)) continue;
    problems.push({
      level: 'error',
      code: 'plugin.contract-mismatch',
      message: `${kind} "${name}": the object states ${fact} ${show(stated)}, but the manifest ${describeDeclared(kind, fact, entry)}; the manifest is what the host enforces`,
      pluginId: entry.declared.pluginId,
      source: { file: manifestPath, pointer: `${entry.pointer}/${fact}` },
      hint: `remove ${fact} from the object: the manifest states it (${entry.pointer} in ${manifestPath}); if ${show(stated)} is what you meant, change it there`,
    });
  }
  return problems;
}

function describeDeclared(kind: ContributionKind, fact: string, entry: DeclaredEntry): string {
  if (kind === 'tools' && fact === 'inputSchema' && entry.declared.inputSchema === NO_ARGUMENTS) return 'gives no inputSchema (the tool takes no arguments)';
  if (kind === 'tools' && fact === 'description' && entry.declared.description === '') return 'gives no description';
  if (entry.declared[fact] === undefined) return `gives no ${fact}`;
  return `says ${show(entry.declared[fact])}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
