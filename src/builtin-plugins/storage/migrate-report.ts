import type { CliIo, MigrationInfo, MigrationStatus, StorageMigrator } from '@nexus/plugin-sdk';

const DIALECT_NAMES = { sqlite: 'SQLite', postgres: 'PostgreSQL', memory: 'the in-memory store' } as const;

export function describeTarget(migrator: StorageMigrator): string {
  return migrator.dialect === 'memory' ? DIALECT_NAMES.memory : `${DIALECT_NAMES[migrator.dialect]} at ${migrator.location}`;
}

/** JSON shapes are `{ applied, pending }`, plus `tampered` and `unknown` when there are any. */
export function statusJson(migrator: StorageMigrator, status: MigrationStatus): string {
  return `${JSON.stringify(
    {
      dialect: migrator.dialect,
      location: migrator.location,
      applied: status.applied.map(infoJson),
      pending: status.pending.map(infoJson),
      ...(status.tampered.length > 0 ? { tampered: status.tampered.map(infoJson) } : {}),
      ...(status.unknown.length > 0 ? { unknown: status.unknown.map(infoJson) } : {}),
    },
    null,
    2,
  )}\n`;
}

export function reportStatus(migrator: StorageMigrator, status: MigrationStatus, io: CliIo): void {
  if (migrator.dialect === 'memory') {
    io.stdout('The in-memory store keeps nothing on disk: there is nothing to migrate.\n');
    return;
  }
  const tampered = new Set(status.tampered.map((m) => m.name));
  const unknown = new Set(status.unknown.map((m) => m.name));
  const rows: [string, string, string][] = [
    ...status.applied.map((m): [string, string, string] => {
      const when = `applied ${iso(m.appliedAt)}`;
      if (tampered.has(m.name)) return ['✗', m.name, `${when}, edited since (checksum differs)`];
      if (unknown.has(m.name)) return ['?', m.name, `${when}, no enabled plugin contributes it`];
      return ['✓', m.name, when];
    }),
    ...status.pending.map((m): [string, string, string] => ['○', m.name, 'pending']),
  ];
  const width = Math.max(0, ...rows.map(([, name]) => name.length));
  const lines = rows.map(([mark, name, note]) => `  ${mark} ${name.padEnd(width)}  ${note}`);
  const summary = [`${status.applied.length} applied`, `${status.pending.length} pending`];
  if (status.tampered.length > 0) summary.push(`${status.tampered.length} edited after being applied (restore the original SQL)`);
  if (status.unknown.length > 0) summary.push(`${status.unknown.length} unknown`);
  io.stdout(`Migrations of ${describeTarget(migrator)}:\n${lines.length > 0 ? `${lines.join('\n')}\n` : '  (none)\n'}${summary.join(', ')}.\n`);
}

export function reportChange(migrator: StorageMigrator, direction: 'up' | 'down', done: readonly MigrationInfo[], json: boolean, io: CliIo): void {
  if (json) {
    io.stdout(`${JSON.stringify({ dialect: migrator.dialect, location: migrator.location, [direction === 'up' ? 'applied' : 'reverted']: done.map(infoJson) }, null, 2)}\n`);
    return;
  }
  if (migrator.dialect === 'memory') {
    io.stdout('The in-memory store keeps nothing on disk: there is nothing to migrate.\n');
    return;
  }
  if (done.length === 0) {
    io.stdout(direction === 'up' ? `Nothing to apply: the schema of ${describeTarget(migrator)} is current.\n` : `Nothing to revert: no migration is applied to ${describeTarget(migrator)}.\n`);
    return;
  }
  const verb = direction === 'up' ? 'Applied' : 'Reverted';
  io.stdout(`${verb} ${done.length} migration${done.length === 1 ? '' : 's'} ${direction === 'up' ? 'to' : 'of'} ${describeTarget(migrator)}:\n${done.map((m) => `  ${direction === 'up' ? '✓' : '↶'} ${m.name}\n`).join('')}`);
}

function infoJson(m: MigrationInfo): Record<string, unknown> {
  return { name: m.name, checksum: m.checksum, ...(m.appliedAt !== undefined ? { appliedAt: iso(m.appliedAt) } : {}) };
}

function iso(ms: number | undefined): string {
  return ms === undefined ? '?' : new Date(ms).toISOString();
}
