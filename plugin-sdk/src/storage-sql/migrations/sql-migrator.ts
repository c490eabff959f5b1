import { sql, type Kysely, type Transaction } from 'kysely';
import { MigrationError, type MigrationInfo, type MigrationRevert, type MigrationStatus } from '../../contracts/index.js';
import {
  createIfMissing,
  deleteSafeguard,
  ensureSafeguardTable,
  fromCount,
  fromTime,
  isMissingTable,
  readSafeguards,
  SAFEGUARD_ROWS,
  toTime,
  writeSafeguard,
  type Database,
  type SqlBackend,
} from '../sql/index.js';
import type { PlannedMigration } from './migration-plan.js';
import { splitStatements } from './migration-plan.js';

interface AppliedRow {
  readonly name: string;
  readonly checksum: string;
  readonly seq: number;
  readonly appliedAt: number;
}

/**
 * Applies and reverts migrations, each in its own transaction together with its
 * `schema_migrations` row, so a migration is either fully applied and recorded or not at all.
 * `down` also records a pause (in `nexus_safeguards`, which no migration drops) so that a store
 * that migrates by itself does not quietly re-apply what the operator just reverted; `up` lifts it.
 * Concurrent migrators (two replicas starting, `nexus migrate` beside a gateway) queue on one lock
 * row taken with SELECT … FOR UPDATE (PostgreSQL, CockroachDB) or on BEGIN IMMEDIATE (SQLite),
 * and re-read what is applied once they hold it, so each migration runs exactly once.
 * Advisory locks are avoided on purpose: CockroachDB only stubs them.
 */
export class SqlMigrator {
  readonly dialect: SqlBackend['dialect'];
  readonly location: string;

  constructor(
    private readonly backend: SqlBackend,
    /** Core plus contributed migrations, planned for this dialect; read on every call, as plugins come and go. */
    private readonly plan: () => Promise<readonly PlannedMigration[]>,
    private readonly now: () => number,
  ) {
    this.dialect = backend.dialect;
    this.location = backend.location;
  }

  /** Reads only: a database no migrator has touched has nothing applied, and nothing is created to find that out. */
  async status(): Promise<MigrationStatus> {
    const planned = await this.plan();
    const status = compare(planned, await this.readApplied(this.backend.db, true));
    const pausedSince = await this.pausedSince();
    return pausedSince === undefined ? status : { ...status, pausedSince };
  }

  /** When `down` last paused auto-migration; undefined when it is not paused. */
  async pausedSince(): Promise<number | undefined> {
    return (await readSafeguards(this.backend.db, SAFEGUARD_ROWS.migrationsPaused))[0]?.updatedAt;
  }

  async up(count?: number): Promise<readonly MigrationInfo[]> {
    if (count !== undefined) checkCount(count);
    const planned = await this.plan();
    await this.ensureTables();
    // Running `up` is the operator's go-ahead: the store may migrate by itself again.
    await deleteSafeguard(this.backend.db, SAFEGUARD_ROWS.migrationsPaused);
    const done: MigrationInfo[] = [];
    while (count === undefined || done.length < count) {
      const ran = await this.step(done, 'applied', async (trx) => {
        const applied = await this.readApplied(trx, false);
        const status = compare(planned, applied);
        if (status.tampered.length > 0) throw tamperedError(status.tampered, 'apply anything');
        const next = status.pending[0] && planned.find((p) => p.name === status.pending[0]!.name);
        if (!next) return undefined;
        await runStatements(trx, next, 'up');
        const appliedAt = this.now();
        const seq = applied.reduce((max, row) => Math.max(max, row.seq), 0) + 1;
        await trx.insertInto('schema_migrations').values({ name: next.name, namespace: next.namespace, checksum: next.checksum, seq, applied_at: toTime(this.dialect, appliedAt) }).execute();
        return { name: next.name, checksum: next.checksum, appliedAt };
      });
      if (!ran) break;
      done.push(ran);
    }
    return done;
  }

  /** Runs one step; a failure after earlier steps says which of them did complete. */
  private async step<T>(done: readonly MigrationInfo[], verb: string, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    try {
      return await this.locked(work);
    } catch (error) {
      if (done.length === 0 || !(error instanceof MigrationError)) throw error;
      throw new MigrationError(error.code, `${error.message} (${verb} before it: ${done.map((m) => m.name).join(', ')})`, error.migrations);
    }
  }

  async down(count = 1): Promise<readonly MigrationInfo[]> {
    checkCount(count);
    const planned = await this.plan();
    await this.ensureTables();
    const done: MigrationInfo[] = [];
    while (done.length < count) {
      const reverted = await this.step(done, 'reverted', async (trx) => {
        const applied = await this.readApplied(trx, false);
        const last = applied.at(-1);
        if (!last) return undefined;
        const migration = planned.find((p) => p.name === last.name);
        if (!migration) {
          throw new MigrationError('missing', `cannot revert ${last.name}: no enabled plugin contributes it any more, so its down SQL is unknown; enable the plugin that owns it first`, [last.name]);
        }
        if (migration.checksum !== last.checksum) throw tamperedError([info(last)], `revert it (its down SQL may not undo what ran)`);
        await runStatements(trx, migration, 'down');
        await trx.deleteFrom('schema_migrations').where('name', '=', last.name).execute();
        const at = this.now();
        await writeSafeguard(trx, { name: SAFEGUARD_ROWS.migrationsPaused, value: JSON.stringify({ since: at, last: last.name }), updatedAt: at });
        return { name: last.name, checksum: last.checksum };
      });
      if (!reverted) break;
      done.push(reverted);
    }
    return done;
  }

  /**
   * What `down(count)` would revert, most recent first: each migration's down statements and the
   * tables they drop, with their row counts. Reads only.
   */
  async planDown(count = 1): Promise<readonly MigrationRevert[]> {
    checkCount(count);
    const planned = await this.plan();
    const applied = (await this.readApplied(this.backend.db, true)).slice(-count).reverse();
    const reverts: MigrationRevert[] = [];
    for (const row of applied) {
      const migration = planned.find((p) => p.name === row.name);
      if (!migration) {
        throw new MigrationError('missing', `cannot revert ${row.name}: no enabled plugin contributes it any more, so its down SQL is unknown; enable the plugin that owns it first`, [row.name]);
      }
      const statements = splitStatements(migration.down);
      const droppedTables: { table: string; rows: number }[] = [];
      for (const table of statements.map(droppedTable).filter((t): t is string => t !== undefined)) droppedTables.push({ table, rows: await this.countRows(table) });
      reverts.push({ name: row.name, statements, droppedTables });
    }
    return reverts;
  }

  private async countRows(table: string): Promise<number> {
    try {
      const result = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${sql.id(table)}`.execute(this.backend.db);
      return Number(result.rows[0]?.n ?? 0);
    } catch (error) {
      // The down SQL names a table that is not there (dropped by hand): it drops nothing.
      if (isMissingTable(error)) return 0;
      throw error;
    }
  }

  /** One transaction holding the migration lock. */
  private locked<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.backend.db.transaction().execute(async (trx) => {
      // SQLite transactions here start with BEGIN IMMEDIATE (see the storage-sqlite plugin), which already excludes other writers.
      if (this.dialect === 'postgres') await trx.selectFrom('schema_migrations_lock').select('id').where('id', '=', 1).forUpdate().execute();
      return work(trx);
    });
  }

  private async readApplied(db: Kysely<Database>, tolerateMissing: boolean): Promise<AppliedRow[]> {
    try {
      const rows = await db.selectFrom('schema_migrations').select(['name', 'checksum', 'seq', 'applied_at']).orderBy('seq', 'asc').execute();
      return rows.map((r) => ({ name: r.name, checksum: r.checksum, seq: fromCount(r.seq), appliedAt: fromTime(r.applied_at) }));
    } catch (error) {
      // status() on a database no migrator has touched yet: nothing is applied, and nothing is written to find out.
      if (tolerateMissing && isMissingTable(error)) return [];
      throw error;
    }
  }

  /** The bookkeeping tables, created by the first `up` or `down`. */
  private async ensureTables(): Promise<void> {
    const time = this.dialect === 'postgres' ? 'TIMESTAMPTZ' : 'INTEGER';
    await createIfMissing(this.backend.db, [
      `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, namespace TEXT NOT NULL, checksum TEXT NOT NULL, seq INTEGER NOT NULL, applied_at ${time} NOT NULL)`,
      'CREATE TABLE IF NOT EXISTS schema_migrations_lock (id INTEGER PRIMARY KEY, note TEXT)',
      "INSERT INTO schema_migrations_lock (id, note) VALUES (1, 'taken with SELECT ... FOR UPDATE while migrating') ON CONFLICT (id) DO NOTHING",
    ]);
    await ensureSafeguardTable(this.backend.db, this.dialect);
  }
}

const DROP_TABLE = /^DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?"?([A-Za-z_][A-Za-z0-9_]*)"?/i;

/** The table a down statement drops, if it is a DROP TABLE. */
function droppedTable(statement: string): string | undefined {
  return DROP_TABLE.exec(statement.trim())?.[1];
}

function compare(planned: readonly PlannedMigration[], applied: readonly AppliedRow[]): MigrationStatus {
  const byName = new Map(planned.map((p) => [p.name, p]));
  const appliedNames = new Set(applied.map((a) => a.name));
  return {
    applied: applied.map(info),
    pending: planned.filter((p) => !appliedNames.has(p.name)).map((p) => ({ name: p.name, checksum: p.checksum })),
    tampered: applied.filter((a) => byName.has(a.name) && byName.get(a.name)!.checksum !== a.checksum).map(info),
    unknown: applied.filter((a) => !byName.has(a.name)).map(info),
  };
}

function info(row: AppliedRow): MigrationInfo {
  return { name: row.name, checksum: row.checksum, appliedAt: row.appliedAt };
}

async function runStatements(trx: Transaction<Database>, migration: PlannedMigration, direction: 'up' | 'down'): Promise<void> {
  const statements = splitStatements(direction === 'up' ? migration.up : migration.down);
  for (const [index, statement] of statements.entries()) {
    try {
      await sql.raw(statement).execute(trx);
    } catch (error) {
      const first = statement.split('\n')[0]!.slice(0, 80);
      throw new MigrationError(
        'failed',
        `migration ${migration.name} (${direction}) failed at statement ${index + 1} of ${statements.length} ("${first}…"): ${(error as Error).message}; it was rolled back, nothing of it applied`,
        [migration.name],
      );
    }
  }
}

function tamperedError(tampered: readonly MigrationInfo[], refused: string): MigrationError {
  const names = tampered.map((t) => t.name);
  return new MigrationError(
    'tampered',
    `refusing to ${refused}: ${names.join(', ')} ${names.length === 1 ? 'was' : 'were'} edited after being applied (the checksum differs); restore the original SQL and add a new migration for the change`,
    names,
  );
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) throw new MigrationError('invalid', `the number of migrations must be a whole number of at least 1, not ${count}`);
}

