import { readFileSync, statSync } from 'node:fs';
import type { Document } from 'yaml';
import type { Diagnostic } from '@nexus/plugin-sdk';
import { parseSingleDocument } from '../config/index.js';
import { writeAtomically } from '../host/index.js';
import { yamlModule } from '../lazy/index.js';
import { SourcePositions } from '../schema/index.js';
import { configVersion } from './config-version.js';
import { CURRENT_CONFIG_VERSION, type Migration, type MigrationChange } from './migration.js';
import { MigrationError } from './migration-error.js';
import { CONFIG_MIGRATIONS } from './registry.js';
import { hasLegacyMemoryKeys, migrateLegacyMemoryKeys } from './legacy-memory-migration.js';
import { keepUntouchedSections } from './section-layout.js';

/** A change with where its value sits in the file before migrating (when it exists there). */
export interface PlannedChange extends MigrationChange {
  readonly line?: number;
  readonly column?: number;
}

export interface MigrationPlan {
  readonly path: string;
  readonly fromVersion: number;
  readonly toVersion: number;
  /** Whether the file is older than the current format. */
  readonly pending: boolean;
  readonly changes: readonly PlannedChange[];
  /** The changes of kind `conflict`: while there are any, the migrated file is not written. */
  readonly conflicts: readonly PlannedChange[];
  readonly before: string;
  readonly after: string;
}

export interface AppliedMigrations extends MigrationPlan {
  readonly written: boolean;
  /** The file as it was, kept beside it as `<file>.bak`. */
  readonly backupPath?: string;
}

/**
 * What migrating `text` to the current format would do. Pure: reads and writes nothing.
 * Throws ConfigFileError when the text does not parse, MigrationError when its version is
 * invalid or newer than this Nexus.
 */
export function planMigrations(text: string, path: string, migrations: readonly Migration[] = CONFIG_MIGRATIONS): MigrationPlan {
  const doc = parseSingleDocument(text, path);
  const unchanged = { path, toVersion: CURRENT_CONFIG_VERSION, pending: false, changes: [], conflicts: [], before: text, after: text };
  if (!yamlModule().isMap(doc.contents)) return { ...unchanged, fromVersion: CURRENT_CONFIG_VERSION };
  const fromVersion = configVersion(doc, text, path);
  // Settings that moved within a format version (session.memory → memory) are repaired whatever the version says.
  if (fromVersion === CURRENT_CONFIG_VERSION && !hasLegacyMemoryKeys(doc)) return { ...unchanged, fromVersion };

  const hadVersion = doc.has('version');
  const changes: MigrationChange[] = [];
  for (let version = fromVersion; version < CURRENT_CONFIG_VERSION; ) {
    const step = migrations.find((m) => m.from === version);
    if (!step) throw new Error(`no config migration starts at version ${version}`);
    changes.push(...step.apply(doc));
    setVersion(doc, step.to);
    changes.push({ kind: 'set', description: `set version: ${step.to}`, pointer: '/version' });
    version = step.to;
  }

  if (hasLegacyMemoryKeys(doc)) changes.push(...migrateLegacyMemoryKeys(doc));

  const positions = new SourcePositions(text);
  const planned = changes.map((change): PlannedChange => {
    const position = change.kind === 'set' && !hadVersion ? undefined : positions.locateKey(change.pointer);
    return position ? { ...change, line: position.line, column: position.column } : change;
  });
  const rendered = doc.toString({ flowCollectionPadding: false, lineWidth: 0 });
  return {
    path,
    fromVersion,
    toVersion: CURRENT_CONFIG_VERSION,
    pending: true,
    changes: planned,
    conflicts: planned.filter((c) => c.kind === 'conflict'),
    before: text,
    after: keepUntouchedSections(text, rendered),
  };
}

/**
 * Migrates the file at `path` in place: the old text goes to `<path>.bak`, the new one replaces
 * the file atomically (temp file + rename), so an interrupted run leaves one or the other.
 * Writes nothing when no migration is pending; throws MigrationError on conflicts.
 */
export function applyMigrations(path: string): AppliedMigrations {
  const text = readFileSync(path, 'utf8');
  const plan = planMigrations(text, path);
  if (!plan.pending) return { ...plan, written: false };
  if (plan.conflicts.length > 0) throw new MigrationError(plan.conflicts.map((c) => conflictDiagnostic(c, path)));

  const mode = statSync(path).mode & 0o777;
  const backupPath = `${path}.bak`;
  writeAtomically(backupPath, text, mode);
  writeAtomically(path, plan.after, mode);
  return { ...plan, written: true, backupPath };
}

export function conflictDiagnostic(change: PlannedChange, path: string): Diagnostic {
  return {
    level: 'error',
    code: 'config.migration-conflict',
    message: change.description,
    source: { file: path, ...(change.line !== undefined ? { line: change.line, column: change.column } : {}), pointer: change.pointer },
    ...(change.hint ? { hint: change.hint } : {}),
  };
}

/**
 * `version` becomes the first key. A comment at the very top of the file (which the yaml library
 * hangs on the first key) stays at the top, above `version`.
 */
function setVersion(doc: Document, version: number): void {
  const yaml = yamlModule();
  const root = doc.contents;
  if (!yaml.isMap(root)) return;
  const index = root.items.findIndex((item) => yaml.isScalar(item.key) && item.key.value === 'version');
  if (index === 0) {
    root.items[0]!.value = doc.createNode(version);
    return;
  }
  const pair = index > 0 ? root.items.splice(index, 1)[0]! : doc.createPair('version', version);
  pair.value = doc.createNode(version);
  const first = root.items[0]?.key;
  if (!doc.commentBefore && yaml.isScalar(first) && first.commentBefore && yaml.isScalar(pair.key) && !pair.key.commentBefore) {
    pair.key.commentBefore = first.commentBefore;
    first.commentBefore = undefined;
  }
  root.items.unshift(pair);
}
