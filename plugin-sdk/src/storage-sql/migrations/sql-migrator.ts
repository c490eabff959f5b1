import { sql, type Kysely, type Transaction } from 'kysely';
import { MigrationError, type MigrationInfo, type MigrationStatus, type StorageMigrator } from '../../contracts/index.js';
import { fromCount, fromTime, isUniqueViolation, toTime, type Database, type SqlBackend } from '../sql/index.js';
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
 * Concurrent migrators (two replicas starting, `nexus migrate` beside a gateway) queue on one lock
 * row taken with SELECT … FOR UPDATE (PostgreSQL, CockroachDB) or on BEGIN IMMEDIATE (SQLite),
 * and re-read what is applied once they hold it, so each migration runs exactly once.
 * Advisory locks are avoided on purpose: CockroachDB only stubs them.
 */
export class SqlMigrator implements StorageMigrator {
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

  async status(): Promise<MigrationStatus> {
    const planned = await this.plan();
    return compare(planned, await this.readApplied(this.backend.db, true));
  }

  async up(count?: number): Promise<readonly MigrationInfo[]> {
    if (count !== undefined) checkCount(count);
    const planned = await this.plan();
    await this.ensureTables();
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
        return { name: last.name, checksum: last.checksum };
      });
      if (!reverted) break;
      done.push(reverted);
    }
    return done;
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

  /** The bookkeeping tables; concurrent first runs on PostgreSQL may clash creating them, so that is retried. */
  private async ensureTables(): Promise<void> {
    const time = this.dialect === 'postgres' ? 'TIMESTAMPTZ' : 'INTEGER';
    const statements = [
      `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, namespace TEXT NOT NULL, checksum TEXT NOT NULL, seq INTEGER NOT NULL, applied_at ${time} NOT NULL)`,
      'CREATE TABLE IF NOT EXISTS schema_migrations_lock (id INTEGER PRIMARY KEY, note TEXT)',
      "INSERT INTO schema_migrations_lock (id, note) VALUES (1, 'taken with SELECT ... FOR UPDATE while migrating') ON CONFLICT (id) DO NOTHING",
    ];
    for (let attempt = 1; ; attempt++) {
      try {
        for (const statement of statements) await sql.raw(statement).execute(this.backend.db);
        return;
      } catch (error) {
        // Racing CREATE TABLE IF NOT EXISTS on PostgreSQL fails with a unique violation on
        // pg_type, duplicate_table (42P07) or duplicate_object (42710, "type … already exists").
        const code = (error as { code?: unknown }).code;
        if (attempt >= 3 || !(isUniqueViolation(error) || code === '42P07' || code === '42710')) throw error;
      }
    }
  }
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

function isMissingTable(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '42P01' || (typeof message === 'string' && message.includes('no such table'));
}
