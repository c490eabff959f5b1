import { createHash } from 'node:crypto';
import { MigrationError, type Contribution, type DialectSql, type MigrationSet, type SqlMigration } from '../../contracts/index.js';
import type { SqlDialect } from '../sql/index.js';
import { CORE_MIGRATIONS } from './core-migrations.js';

export const CORE_NAMESPACE = 'core';
const MIGRATION_ID = /^[A-Za-z0-9_.-]+$/;

/** One migration ready to run on one dialect. */
export interface PlannedMigration {
  /** `<namespace>/<id>`. */
  readonly name: string;
  readonly namespace: string;
  readonly up: string;
  readonly down: string;
  /** SHA-256 of the up SQL this dialect runs. */
  readonly checksum: string;
}

/**
 * Every migration in the order `up` applies them: core first, then each plugin's set by plugin
 * id, each namespace by migration id. A malformed set fails the whole plan, naming the plugin:
 * running only part of a plugin's schema would leave it broken in subtler ways.
 */
export function planMigrations(dialect: SqlDialect, contributed: readonly Contribution<MigrationSet>[]): PlannedMigration[] {
  const sets = [...contributed].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const plan = planNamespace(dialect, CORE_NAMESPACE, CORE_MIGRATIONS, 'the core schema');
  for (const set of sets) {
    const owner = `plugin ${set.pluginId}`;
    if (set.name === CORE_NAMESPACE) throw invalid(owner, `contributes migrations under the reserved name "${CORE_NAMESPACE}"; use its plugin id`);
    if (set.name !== set.pluginId) throw invalid(owner, `contributes migrations under "${set.name}"; migrations are namespaced by plugin id, so name them "${set.pluginId}"`);
    const migrations = (set.value as MigrationSet | undefined)?.migrations;
    if (!Array.isArray(migrations)) throw invalid(owner, 'contributes a migration set without a migrations array');
    plan.push(...planNamespace(dialect, set.name, migrations, owner));
  }
  return plan;
}

function planNamespace(dialect: SqlDialect, namespace: string, migrations: readonly SqlMigration[], owner: string): PlannedMigration[] {
  const seen = new Set<string>();
  const planned = migrations.map((migration, index) => {
    const id = migration?.id;
    if (typeof id !== 'string' || !MIGRATION_ID.test(id)) throw invalid(owner, `has a migration (#${index + 1}) whose id ${JSON.stringify(id)} is not letters, digits, "_", "-" and "."`);
    if (seen.has(id)) throw invalid(owner, `has two migrations with the id "${id}"`);
    seen.add(id);
    const name = `${namespace}/${id}`;
    const up = sqlFor(dialect, migration.up, `${name} up`, owner);
    return { name, namespace, id, up, down: sqlFor(dialect, migration.down, `${name} down`, owner), checksum: checksumOf(up) };
  });
  return planned.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(({ id: _id, ...rest }) => rest);
}

function sqlFor(dialect: SqlDialect, sql: DialectSql, what: string, owner: string): string {
  const text = typeof sql === 'string' ? sql : sql?.[dialect];
  if (typeof text !== 'string' || text.trim() === '') throw invalid(owner, `has no ${dialect} SQL for ${what}; give a string, or { sqlite, postgres }`, [what.split(' ')[0]!]);
  return normalize(text);
}

/** Line endings and surrounding blank space do not count as an edit. */
function normalize(sql: string): string {
  return sql.replace(/\r\n?/g, '\n').trim();
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(normalize(sql), 'utf8').digest('hex');
}

/** Statements separated by `;` at the end of a line; chunks holding only comments are skipped. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;[ \t]*(?:\n|$)/)
    .map((chunk) => chunk.trim())
    .filter((chunk) => chunk.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('--')));
}

function invalid(owner: string, problem: string, migrations: readonly string[] = []): MigrationError {
  return new MigrationError('invalid', `${owner} ${problem}`, migrations);
}
