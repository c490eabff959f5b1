import type { Document, Pair, YAMLMap } from 'yaml';
import { yamlModule } from '../lazy/index.js';
import { joinPointer } from '../schema/index.js';
import type { Migration, MigrationChange } from './migration.js';

/** Tool settings the Go Nexus kept under `plugins`; they belong to `tools` now. */
const MOVED_TOOLS = ['sandbox', 'browser', 'websearch'] as const;

/**
 * Whether an unversioned document holds settings only the Go Nexus wrote. A file without
 * `version` and without any of these is taken as current, so new files need no version line.
 */
export function hasGoLayout(doc: Document): boolean {
  const { isMap } = yamlModule();
  const plugins = doc.get('plugins', true);
  return doc.has('observability') || (isMap(plugins) && MOVED_TOOLS.some((name) => plugins.has(name)));
}

/**
 * 0 → 1, the Go Nexus layout: `plugins.{sandbox,browser,websearch}` move to `tools.*` (never
 * over an existing `tools.*`), `observability` is dropped, `vector_memory` is reported as
 * ownerless but kept. `plugins.entries.<id>` (enabled, path, config) means the same here.
 */
export const goLayoutMigration: Migration = {
  from: 0,
  to: 1,
  description: 'the Go Nexus layout: tool settings move from plugins to tools, observability goes',
  apply(doc) {
    const { isMap } = yamlModule();
    const changes: MigrationChange[] = [];
    const root = doc.contents;
    if (!isMap(root)) return changes;

    const plugins = doc.get('plugins', true);
    const hadTools = root.has('tools');
    if (isMap(plugins)) {
      for (const name of MOVED_TOOLS) {
        const pair = pairOf(plugins, name);
        if (pair) changes.push(moveToTools(doc, root, pair, name));
      }
      if (plugins.items.length === 0 && changes.some((c) => c.kind === 'moved')) {
        removeEmptiedPlugins(root, !hadTools);
        changes.push({ kind: 'dropped', description: 'removed plugins, which held nothing else', pointer: '/plugins' });
      }
    }

    const observability = pairOf(root, 'observability');
    if (observability) {
      root.items.splice(root.items.indexOf(observability), 1);
      changes.push({
        kind: 'dropped',
        description: 'dropped observability: this Nexus has no such section (metrics are served at /metrics on server.http_port)',
        pointer: '/observability',
      });
    }

    if (root.has('vector_memory')) {
      changes.push({
        kind: 'note',
        description: 'vector_memory is kept, but no plugin owns it in this version, so nothing reads it',
        pointer: '/vector_memory',
        hint: 'remove the section, or install a plugin that owns vector_memory',
      });
    }
    return changes;
  },
};

function moveToTools(doc: Document, root: YAMLMap, pair: Pair, name: string): MigrationChange {
  const { isMap, isScalar } = yamlModule();
  const from = joinPointer('plugins', name);
  const to = joinPointer('tools', name);
  const current: unknown = root.get('tools', true);
  const emptyTools = current === undefined || (isScalar(current) && (current.value === null || current.value === undefined));
  if (!emptyTools && !isMap(current)) {
    return {
      kind: 'conflict',
      description: `cannot move plugins.${name} to tools.${name}: tools is not a mapping`,
      pointer: from,
      to,
      hint: `make tools a mapping (or remove it), then move plugins.${name} under it`,
    };
  }
  if (isMap(current) && current.has(name)) {
    return {
      kind: 'conflict',
      description: `plugins.${name} and tools.${name} both exist; tools.${name} is not overwritten`,
      pointer: from,
      to,
      hint: `merge what you need from plugins.${name} into tools.${name}, delete plugins.${name}, then run \`nexus doctor --repair\` again`,
    };
  }
  let tools: YAMLMap;
  if (isMap(current)) {
    tools = current;
  } else {
    tools = doc.createNode({}) as YAMLMap;
    tools.flow = false;
    const existing = pairOf(root, 'tools');
    if (existing) existing.value = tools;
    else root.items.splice(indexAfter(root, 'plugins'), 0, doc.createPair('tools', tools));
  }
  const plugins = root.get('plugins', true) as unknown as YAMLMap;
  plugins.items.splice(plugins.items.indexOf(pair), 1);
  tools.items.push(pair);
  return { kind: 'moved', description: `moved plugins.${name} to tools.${name}`, pointer: from, to };
}

/** Drops `plugins:` once nothing is left in it; a comment above it passes to `tools`, created in its place. */
function removeEmptiedPlugins(root: YAMLMap, toolsIsNew: boolean): void {
  const { isScalar } = yamlModule();
  const plugins = pairOf(root, 'plugins')!;
  const index = root.items.indexOf(plugins);
  const next = root.items[index + 1];
  if (toolsIsNew && next && isScalar(next.key) && next.key.value === 'tools' && isScalar(plugins.key) && !next.key.commentBefore) {
    next.key.commentBefore = plugins.key.commentBefore;
    next.key.spaceBefore = plugins.key.spaceBefore;
  }
  root.items.splice(index, 1);
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  const { isScalar } = yamlModule();
  return map.items.find((item) => isScalar(item.key) && item.key.value === key);
}

function indexAfter(map: YAMLMap, key: string): number {
  const pair = pairOf(map, key);
  return pair ? map.items.indexOf(pair) + 1 : map.items.length;
}
