import { isDeepStrictEqual } from 'node:util';
import type { Document, Node, Scalar, YAMLMap } from 'yaml';
import { yamlModule } from '../lazy/index.js';
import type { MigrationChange } from './migration.js';

const isMap = (node: unknown): node is YAMLMap => yamlModule().isMap(node);
const isScalar = (node: unknown): node is Scalar => yamlModule().isScalar(node);

/** What one step did to a config document: a config migration's change, planned and printed beside the others by `doctor --repair`. */
export type MemoryMigrationChange = MigrationChange;

type Path = readonly string[];

interface Move {
  readonly from: Path;
  readonly to: Path;
  /** Rewrites the value for its new home; undefined means it cannot be carried over. */
  readonly convert?: (value: unknown) => unknown;
}

/** Old key → new key. Go's tools.memory_search lived beside session.memory; both now belong to the memory plugin. */
const MOVES: readonly Move[] = [
  { from: ['session', 'memory', 'enabled'], to: ['memory', 'daily', 'log_turns'] },
  { from: ['session', 'memory', 'directory'], to: ['memory', 'daily', 'directory'] },
  { from: ['session', 'memory', 'max_lines'], to: ['memory', 'recall', 'max_lines'] },
  { from: ['session', 'memory', 'days'], to: ['memory', 'recall', 'days'] },
  { from: ['session', 'memory', 'scope'], to: ['memory', 'scope'] },
  { from: ['session', 'memory_flush', 'enabled'], to: ['memory', 'compaction', 'flush'] },
  { from: ['session', 'memory_flush', 'prompt'], to: ['memory', 'compaction', 'prompt'] },
  { from: ['tools', 'memory_search', 'directory'], to: ['memory', 'daily', 'directory'] },
  { from: ['tools', 'memory_search', 'memory_file'], to: ['workspace', 'memory_file'] },
  { from: ['tools', 'memory_search', 'mode'], to: ['memory', 'search', 'mode'] },
  { from: ['tools', 'memory_search', 'max_results'], to: ['memory', 'search', 'max_results'] },
  { from: ['tools', 'memory_search', 'max_snippet_len'], to: ['memory', 'search', 'snippet_max_chars'] },
  { from: ['tools', 'memory_search', 'embeddings', 'base_url'], to: ['memory', 'embeddings', 'base_url'] },
  { from: ['tools', 'memory_search', 'embeddings', 'api_key'], to: ['memory', 'embeddings', 'api_key'] },
  { from: ['tools', 'memory_search', 'embeddings', 'model'], to: ['memory', 'embeddings', 'model'] },
  { from: ['tools', 'memory_search', 'embeddings', 'cache_ttl'], to: ['memory', 'embeddings', 'cache', 'ttl'], convert: goDuration },
  { from: ['tools', 'memory_search', 'embeddings', 'timeout'], to: ['memory', 'embeddings', 'timeout'], convert: goDuration },
];

/** Old keys with no new home, and why. */
const DROPS: readonly { readonly path: Path; readonly why: string; readonly hint?: string }[] = [
  {
    path: ['session', 'memory_flush', 'threshold'],
    why: 'session.memory_flush.threshold (a percentage of the context window) has no equivalent: the flush now runs memory.compaction.soft_threshold_tokens before compaction, which starts at the context window minus memory.compaction.reserve_tokens',
    hint: 'set memory.compaction.soft_threshold_tokens and reserve_tokens if the defaults (4000 and 20000) do not suit',
  },
  { path: ['tools', 'memory_search', 'enabled'], why: 'tools.memory_search.enabled is gone: memory_search is available whenever memory.enabled is', hint: 'set memory.enabled: false to turn memory off' },
  { path: ['tools', 'memory_search', 'embeddings', 'cache_dir'], why: 'tools.memory_search.embeddings.cache_dir is gone: cached embeddings now live in the database', hint: 'delete the old cache folder once the new index is built' },
];

/** Base URLs of the providers the Go memory_search knew by name. */
const PROVIDER_BASE_URLS: Readonly<Record<string, string>> = { openai: 'https://api.openai.com/v1', openrouter: 'https://openrouter.ai/api/v1' };
const PROVIDER = ['tools', 'memory_search', 'embeddings', 'provider'] as const;

/** Parents emptied by the moves, deepest first; each goes once nothing is left in it. */
const CONTAINERS: readonly Path[] = [
  ['session', 'memory'],
  ['session', 'memory_flush'],
  ['tools', 'memory_search', 'embeddings'],
  ['tools', 'memory_search'],
  ['tools'],
  ['session'],
];

/** Whether the document still holds memory settings in their old places. */
export function hasLegacyMemoryKeys(doc: Document): boolean {
  return doc.hasIn(['session', 'memory']) || doc.hasIn(['session', 'memory_flush']) || doc.hasIn(['tools', 'memory_search']);
}

/**
 * Moves `session.memory`, `session.memory_flush` and Go's `tools.memory_search` into the
 * `memory` section, in place through the yaml Document API (comments elsewhere survive). A value
 * is never written over a different one already at its new place: that is a conflict, and the
 * old key stays for the operator to merge. Equal values just lose the old copy.
 */
export function migrateLegacyMemoryKeys(doc: Document): MemoryMigrationChange[] {
  const changes: MemoryMigrationChange[] = [];
  if (!isMap(doc.contents)) return changes;
  const memory = doc.get('memory', true);
  if (memory !== undefined && !isMap(memory) && !isNullScalar(memory) && hasLegacyMemoryKeys(doc)) {
    return [{ kind: 'conflict', description: 'memory is not a mapping, so the old memory settings cannot move into it', pointer: '/memory', hint: 'make memory a mapping (or remove it), then run `nexus doctor --repair` again' }];
  }
  for (const parent of [['session', 'memory'], ['session', 'memory_flush'], ['tools', 'memory_search'], ['tools', 'memory_search', 'embeddings']] as const) {
    const node = doc.getIn(parent, true);
    if (node !== undefined && !isMap(node)) {
      doc.deleteIn(parent);
      changes.push({ kind: 'dropped', description: `removed ${parent.join('.')}, which held no settings`, pointer: pointerOf(parent) });
    }
  }

  // The Go version had memory on when any of its switches was; here one switch turns the plugin on.
  const wasOn = [['session', 'memory', 'enabled'], ['session', 'memory_flush', 'enabled'], ['tools', 'memory_search', 'enabled']].some((path) => doc.getIn(path) === true);
  changes.push(...provider(doc));
  for (const move of MOVES) {
    const change = moveValue(doc, move);
    if (change) changes.push(change);
  }
  for (const drop of DROPS) {
    if (!doc.hasIn(drop.path)) continue;
    doc.deleteIn(drop.path);
    changes.push({ kind: 'dropped', description: drop.why, pointer: pointerOf(drop.path), ...(drop.hint ? { hint: drop.hint } : {}) });
  }
  if (doc.hasIn(['memory', 'embeddings', 'base_url']) && doc.hasIn(['memory', 'embeddings', 'model']) && !doc.hasIn(['memory', 'embeddings', 'provider'])) {
    // The Go version used remote embeddings whenever both were set.
    doc.setIn(['memory', 'embeddings', 'provider'], 'openai-compatible');
    changes.push({ kind: 'set', description: 'set memory.embeddings.provider: openai-compatible (base_url and model were both set)', pointer: '/memory/embeddings/provider' });
  }
  if (wasOn && !doc.hasIn(['memory', 'enabled']) && !firstNonMap(doc, ['memory'])) {
    doc.setIn(['memory', 'enabled'], true);
    changes.push({ kind: 'set', description: 'set memory.enabled: true (the old config had memory on; the memory plugin loads only with this switch)', pointer: '/memory/enabled' });
  }
  for (const container of CONTAINERS) {
    const node = doc.getIn(container, true);
    if (isMap(node) && node.items.length === 0) doc.deleteIn(container);
  }
  return changes;
}

function provider(doc: Document): MemoryMigrationChange[] {
  if (!doc.hasIn(PROVIDER)) return [];
  const name = scalarValue(doc.getIn(PROVIDER, true));
  const pointer = pointerOf(PROVIDER);
  const baseUrl = typeof name === 'string' ? PROVIDER_BASE_URLS[name.toLowerCase()] : undefined;
  if (baseUrl === undefined) {
    return [{ kind: 'conflict', description: `tools.memory_search.embeddings.provider ${JSON.stringify(name)} is not a provider this version knows`, pointer, hint: 'set memory.embeddings (provider: openai-compatible, base_url, model) by hand and delete tools.memory_search' }];
  }
  const changes: MemoryMigrationChange[] = [];
  const existing = doc.getIn(['memory', 'embeddings', 'provider']);
  if (existing !== undefined && existing !== 'openai-compatible') {
    return [{ kind: 'conflict', description: `tools.memory_search.embeddings.provider and memory.embeddings.provider (${JSON.stringify(existing)}) disagree`, pointer, to: '/memory/embeddings/provider', hint: 'keep one of them and run `nexus doctor --repair` again' }];
  }
  doc.setIn(['memory', 'embeddings', 'provider'], 'openai-compatible');
  doc.deleteIn(PROVIDER);
  changes.push({ kind: 'moved', description: `tools.memory_search.embeddings.provider ${name} became memory.embeddings.provider: openai-compatible`, pointer, to: '/memory/embeddings/provider' });
  if (!doc.hasIn(['tools', 'memory_search', 'embeddings', 'base_url']) && !doc.hasIn(['memory', 'embeddings', 'base_url'])) {
    doc.setIn(['memory', 'embeddings', 'base_url'], baseUrl);
    changes.push({ kind: 'set', description: `set memory.embeddings.base_url: ${baseUrl} (the ${name} default the Go version used)`, pointer: '/memory/embeddings/base_url' });
  }
  return changes;
}

function moveValue(doc: Document, move: Move): MemoryMigrationChange | undefined {
  if (!doc.hasIn(move.from)) return undefined;
  const from = pointerOf(move.from);
  const to = pointerOf(move.to);
  const node = doc.getIn(move.from, true) as Node;
  const value: unknown = doc.getIn(move.from);
  const converted = move.convert ? move.convert(value) : value;
  if (converted === undefined) {
    return { kind: 'conflict', description: `${move.from.join('.')} (${JSON.stringify(value)}) cannot be carried over to ${move.to.join('.')}`, pointer: from, to, hint: `set ${move.to.join('.')} by hand (a number and a unit: ms, s, m, h or d) and delete ${move.from.join('.')}` };
  }
  const blocked = firstNonMap(doc, move.to.slice(0, -1));
  if (blocked) {
    return { kind: 'conflict', description: `cannot move ${move.from.join('.')} to ${move.to.join('.')}: ${blocked.join('.')} is not a mapping`, pointer: from, to, hint: `make ${blocked.join('.')} a mapping, then run \`nexus doctor --repair\` again` };
  }
  if (doc.hasIn(move.to)) {
    const current: unknown = doc.getIn(move.to);
    if (!isDeepStrictEqual(toJs(current), toJs(converted))) {
      return {
        kind: 'conflict',
        description: `${move.from.join('.')} and ${move.to.join('.')} are both set, to different values; ${move.to.join('.')} is not overwritten`,
        pointer: from,
        to,
        hint: `keep the value you want in ${move.to.join('.')}, delete ${move.from.join('.')}, then run \`nexus doctor --repair\` again`,
      };
    }
    doc.deleteIn(move.from);
    return { kind: 'dropped', description: `removed ${move.from.join('.')}: ${move.to.join('.')} already has the same value`, pointer: from, to };
  }
  doc.setIn(move.to, move.convert ? converted : node);
  doc.deleteIn(move.from);
  return { kind: 'moved', description: `moved ${move.from.join('.')} to ${move.to.join('.')}`, pointer: from, to };
}

/** The first parent on the way to a key that exists but is not a mapping (a scalar null counts as absent). */
function firstNonMap(doc: Document, path: Path): Path | undefined {
  for (let i = 1; i <= path.length; i++) {
    const prefix = path.slice(0, i);
    const node = doc.getIn(prefix, true);
    if (node === undefined || isMap(node)) continue;
    if (isNullScalar(node)) {
      // `memory:` with nothing after it: give it a mapping, as the operator would.
      doc.setIn(prefix, doc.createNode({}) as YAMLMap);
      continue;
    }
    return prefix;
  }
  return undefined;
}

/** Go durations (`24h`, `1h30m`, `500ms`) as one number and the largest unit that divides them. */
function goDuration(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/.exec(value.trim());
  if (!parts || value.trim() === '') return undefined;
  const [h, m, s, ms] = parts.slice(1).map((p) => (p === undefined ? 0 : Number.parseFloat(p)));
  const total = Math.round(h! * 3_600_000 + m! * 60_000 + s! * 1000 + ms!);
  if (total <= 0) return undefined;
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (total % size === 0) return `${total / size}${unit}`;
  }
  return `${total}ms`;
}

function isNullScalar(node: unknown): boolean {
  return isScalar(node) && (node.value === null || node.value === undefined);
}

function scalarValue(node: unknown): unknown {
  return isScalar(node) ? node.value : node;
}

function toJs(value: unknown): unknown {
  return value !== null && typeof value === 'object' && 'toJSON' in value ? (value as { toJSON(): unknown }).toJSON() : value;
}

function pointerOf(path: Path): string {
  return `/${path.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}
