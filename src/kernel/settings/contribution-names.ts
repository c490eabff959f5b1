import type { Diagnostic } from '@nexus/plugin-sdk';
import type { LoadedConfig } from '../config/index.js';
import type { PluginRecord } from '../plan/plugin-record.js';
import { didYouMean, joinPointer } from '../schema/index.js';
import type { SectionOwner } from './sections.js';

/**
 * Schema annotations by which a config section says that a value names something plugins
 * contribute, so the kernel can check the name from manifests alone, before any turn needs it:
 *   "x-nexus-contribution": "providers"   the string names a `contributes.providers` entry;
 *   "x-nexus-default-from-key": true      when absent, the key of the enclosing entry counts as
 *                                         its value (`llm.providers.<id>.type` defaults to <id>).
 */
const CONTRIBUTION = 'x-nexus-contribution';
const DEFAULT_FROM_KEY = 'x-nexus-default-from-key';

/** How a message names one contribution of a kind. */
const NOUNS: Readonly<Record<string, string>> = { providers: 'provider type', channels: 'channel', tools: 'tool', storage: 'storage backend' };

type Schema = Readonly<Record<string, unknown>>;

/**
 * Checks every annotated value of every plugin-owned section against the names the discovered
 * plugins contribute. An unknown name is an error (a warning when the section's owner is
 * disabled), with a did-you-mean; a name only a disabled or failed plugin provides is a warning.
 * Findings go on the section's owner, which is not quarantined: the rest of it still works.
 */
export function checkContributionNames(
  config: LoadedConfig,
  owners: ReadonlyMap<string, SectionOwner>,
  records: ReadonlyMap<string, PluginRecord>,
  effective: Readonly<Record<string, unknown>>,
): void {
  const providersOf = contributionIndex(records);
  for (const [section, owner] of owners) {
    const record = records.get(owner.pluginId);
    if (!record || record.state === 'failed') continue;
    const path = section.split('.');
    const value = path.reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), effective);
    if (value === undefined || !mentions(owner.schema)) continue;
    walk(owner.schema, value, path, undefined, (kind, name, at, defaulted) => {
      const diagnostic = nameProblem(kind, name, at, defaulted, providersOf(kind), config, record);
      if (diagnostic) record.diagnostics.push(diagnostic);
    });
  }
}

type Visit = (kind: string, name: string, at: readonly string[], defaulted: boolean) => void;

/** Visits each annotated string under `schema`, following properties, additionalProperties and items. */
function walk(schema: Schema, value: unknown, at: readonly string[], key: string | undefined, visit: Visit): void {
  const kind = schema[CONTRIBUTION];
  if (typeof kind === 'string' && typeof value === 'string') visit(kind, value, at, false);
  if (Array.isArray(value) && isObject(schema.items)) value.forEach((item, i) => walk(schema.items as Schema, item, [...at, String(i)], undefined, visit));
  if (!isObject(value) || Array.isArray(value)) return;
  const properties = isObject(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
  for (const [name, sub] of Object.entries(properties)) {
    if (name in value) walk(sub, value[name], [...at, name], undefined, visit);
    else if (key !== undefined && sub[DEFAULT_FROM_KEY] === true && typeof sub[CONTRIBUTION] === 'string') visit(sub[CONTRIBUTION], key, at, true);
  }
  if (!isObject(schema.additionalProperties)) return;
  for (const [name, sub] of Object.entries(value)) {
    if (!(name in properties)) walk(schema.additionalProperties as Schema, sub, [...at, name], name, visit);
  }
}

interface Providers {
  /** Names of that kind, over every plugin with a readable manifest. */
  readonly all: readonly string[];
  /** The plugins that contribute `name`. */
  of(name: string): readonly PluginRecord[];
}

function contributionIndex(records: ReadonlyMap<string, PluginRecord>): (kind: string) => Providers {
  const byKind = new Map<string, Map<string, PluginRecord[]>>();
  return (kind) => {
    let names = byKind.get(kind);
    if (!names) {
      names = new Map();
      for (const record of records.values()) {
        const list = (record.manifest?.contributes as Record<string, unknown> | undefined)?.[kind];
        if (!Array.isArray(list)) continue;
        for (const item of list) {
          const name = isObject(item) ? item.name : undefined;
          if (typeof name === 'string') names.set(name, [...(names.get(name) ?? []), record]);
        }
      }
      byKind.set(kind, names);
    }
    const found = names;
    return { all: [...found.keys()], of: (name) => found.get(name) ?? [] };
  };
}

function nameProblem(kind: string, name: string, at: readonly string[], defaulted: boolean, providers: Providers, config: LoadedConfig, owner: PluginRecord): Diagnostic | undefined {
  const plugins = providers.of(name);
  if (plugins.some((p) => p.enabled && p.state !== 'failed')) return undefined;
  const noun = NOUNS[kind] ?? `${kind} name`;
  const pointer = joinPointer(...at);
  const where = defaulted ? `${pointer}/type is not set, so the entry's key "${name}" is its ${noun}` : `${pointer}: "${name}"`;
  const source = config.locate(pointer, { key: defaulted });
  if (plugins.length > 0) {
    const plugin = plugins[0]!;
    const state = plugin.state === 'failed' ? 'failed to load (see `nexus plugins doctor`)' : 'disabled';
    return {
      level: 'warning',
      code: 'config.unavailable-contribution',
      message: `${where}: the ${noun} "${name}" comes from plugin ${plugin.id}, which is ${state}`,
      pluginId: owner.id,
      source,
      hint: plugin.state === 'failed' ? `fix plugin ${plugin.id}, or use another ${noun}` : `enable it with \`nexus plugins enable ${plugin.id}\`, or use another ${noun}`,
    };
  }
  const suggestion = didYouMean(name, providers.all);
  const installed = providers.all.length > 0 ? providers.all.join(', ') : 'none';
  return {
    level: owner.enabled ? 'error' : 'warning',
    code: 'config.unknown-contribution',
    message: `${where}, but no installed plugin provides a ${noun} "${name}" (installed: ${installed})`,
    pluginId: owner.id,
    source,
    hint: suggestion
      ? `did you mean "${suggestion}"?${defaulted ? ` Set ${pointer}/type: ${suggestion}` : ''}`
      : `use one of: ${installed}, or install the plugin that provides "${name}"`,
  };
}

/** Whether a section's schema uses the annotation at all; most do not, and need no walk. */
function mentions(schema: Schema): boolean {
  return JSON.stringify(schema).includes(`"${CONTRIBUTION}"`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
