import type { JobSource } from '../config/index.js';
import { toNumber, type SqlClient } from './sql-client.js';

/** The bookkeeping the scheduler keeps per job, whatever its source. */
export interface JobBookkeeping {
  readonly id: string;
  readonly source: JobSource;
  readonly scheduleIdentity: string;
  readonly createdAt: number;
  /** Every run of the job up to here has a row (or the job did not exist or was changed then). */
  readonly lastSlotAt: number;
  /** The next run (UTC ms) as the last scheduler that handled the job saw it; undefined when it has none or none was recorded yet. */
  readonly nextRunAt?: number;
}

/** How far a job's runs are accounted for, and its next run. */
export interface JobProgress {
  readonly lastSlotAt: number;
  readonly nextRunAt: number | undefined;
}

/** A job added from the CLI or the agent tool. */
export interface StoredJobRow extends JobBookkeeping {
  /** The job's settings, as in `cron.jobs.<id>` of the config file. */
  readonly definition: unknown;
  readonly owner?: string;
  readonly updatedAt: number;
}

export interface ConfigJobRef {
  readonly id: string;
  readonly scheduleIdentity: string;
  readonly enabled: boolean;
}

const CHUNK = 100;

/** `cron_jobs` and `cron_state`. */
export class JobRows {
  constructor(private readonly db: SqlClient) {}

  async bookkeeping(): Promise<Map<string, JobBookkeeping>> {
    const rows = await this.db.all('SELECT id, source, schedule_identity, created_at, last_slot_at, next_run_at FROM cron_jobs');
    return new Map(rows.map((row) => [String(row.id), decodeBookkeeping(row)]));
  }

  async stored(): Promise<StoredJobRow[]> {
    const rows = await this.db.all(`SELECT * FROM cron_jobs WHERE source = 'store' ORDER BY id`);
    return rows.map(decodeStored);
  }

  async storedJob(id: string): Promise<StoredJobRow | undefined> {
    const [row] = await this.db.all(`SELECT * FROM cron_jobs WHERE id = ? AND source = 'store'`, [id]);
    return row === undefined ? undefined : decodeStored(row);
  }

  /**
   * Mirrors the config's jobs: a new one gets its row (created now, nothing to account for before
   * now), a changed schedule or switch moves its accounting to now, and rows of jobs gone from the
   * config are removed. Returns the ids the config shares with stored jobs (which keep the id).
   */
  async syncConfig(jobs: readonly ConfigJobRef[], now: number): Promise<string[]> {
    const existing = await this.bookkeeping();
    const clashes: string[] = [];
    const fresh: ConfigJobRef[] = [];
    for (const job of jobs) {
      const row = existing.get(job.id);
      if (row?.source === 'store') {
        clashes.push(job.id);
      } else if (row === undefined) {
        fresh.push(job);
      } else if (row.scheduleIdentity !== job.scheduleIdentity) {
        await this.db.run(
          `UPDATE cron_jobs SET schedule_identity = ?, enabled = ?, updated_at = ?, last_slot_at = CASE WHEN last_slot_at < ? THEN ? ELSE last_slot_at END
           WHERE id = ? AND source = 'config'`,
          [job.scheduleIdentity, job.enabled ? 1 : 0, now, now, now, job.id],
        );
      }
    }
    for (let start = 0; start < fresh.length; start += CHUNK) {
      const chunk = fresh.slice(start, start + CHUNK);
      await this.db.run(
        `INSERT INTO cron_jobs (id, source, definition, schedule_identity, enabled, owner, created_at, updated_at, last_slot_at)
         VALUES ${chunk.map(() => "(?, 'config', NULL, ?, ?, NULL, ?, ?, ?)").join(', ')} ON CONFLICT DO NOTHING`,
        chunk.flatMap((job) => [job.id, job.scheduleIdentity, job.enabled ? 1 : 0, now, now, now]),
      );
    }
    const wanted = new Set(jobs.map((job) => job.id));
    const gone = [...existing.values()].filter((row) => row.source === 'config' && !wanted.has(row.id)).map((row) => row.id);
    for (let start = 0; start < gone.length; start += CHUNK) {
      const chunk = gone.slice(start, start + CHUNK);
      await this.db.run(`DELETE FROM cron_jobs WHERE source = 'config' AND id IN (${chunk.map(() => '?').join(', ')})`, chunk);
    }
    return clashes;
  }

  /**
   * Moves each job's accounting forward, never back (another process may be further), and records
   * its next run unless this process is behind the row.
   */
  async advance(progress: ReadonlyMap<string, JobProgress>): Promise<void> {
    const entries = [...progress];
    const greatest = this.db.dialect === 'sqlite' ? 'MAX' : 'GREATEST';
    for (let start = 0; start < entries.length; start += CHUNK) {
      const chunk = entries.slice(start, start + CHUNK);
      const slotCases = chunk.map(() => 'WHEN ? THEN CAST(? AS BIGINT)').join(' ');
      const slot = `CASE id ${slotCases} END`;
      const next = `CASE id ${slotCases} END`;
      await this.db.run(
        `UPDATE cron_jobs SET last_slot_at = ${greatest}(last_slot_at, ${slot}), next_run_at = CASE WHEN last_slot_at <= ${slot} THEN ${next} ELSE next_run_at END
         WHERE id IN (${chunk.map(() => '?').join(', ')})`,
        [
          ...chunk.flatMap(([id, p]) => [id, p.lastSlotAt]),
          ...chunk.flatMap(([id, p]) => [id, p.lastSlotAt]),
          ...chunk.flatMap(([id, p]) => [id, p.nextRunAt ?? null]),
          ...chunk.map(([id]) => id),
        ],
      );
    }
  }

  /** Whether any job was added from the CLI or the agent tool (one indexed read). */
  async hasStored(): Promise<boolean> {
    return (await this.db.all(`SELECT id FROM cron_jobs WHERE source = 'store' LIMIT 1`)).length > 0;
  }

  async version(): Promise<number> {
    const [row] = await this.db.all<{ value: unknown }>(`SELECT value FROM cron_state WHERE name = 'jobs_version'`);
    return row === undefined ? 0 : toNumber(row.value);
  }

  /** Inserts a stored job; false when the id is taken (by a stored or a config job). */
  async insertStored(tx: SqlClient, job: { id: string; definition: unknown; scheduleIdentity: string; enabled: boolean; owner?: string }, now: number): Promise<boolean> {
    const rows = await tx.all(
      `INSERT INTO cron_jobs (id, source, definition, schedule_identity, enabled, owner, created_at, updated_at, last_slot_at)
       VALUES (?, 'store', ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
      [job.id, JSON.stringify(job.definition), job.scheduleIdentity, job.enabled ? 1 : 0, job.owner ?? null, now, now, now],
    );
    if (rows.length === 1) await bumpVersion(tx);
    return rows.length === 1;
  }

  /** Replaces a stored job's definition; a new schedule or switch starts its accounting now. */
  async updateStored(tx: SqlClient, job: { id: string; definition: unknown; scheduleIdentity: string; enabled: boolean }, now: number): Promise<boolean> {
    const { changes } = await tx.run(
      `UPDATE cron_jobs SET definition = ?, enabled = ?, updated_at = ?,
         last_slot_at = CASE WHEN schedule_identity <> ? AND last_slot_at < ? THEN ? ELSE last_slot_at END,
         schedule_identity = ?
       WHERE id = ? AND source = 'store'`,
      [JSON.stringify(job.definition), job.enabled ? 1 : 0, now, job.scheduleIdentity, now, now, job.scheduleIdentity, job.id],
    );
    if (changes === 1) await bumpVersion(tx);
    return changes === 1;
  }

  /** Removes a stored job and its finished history (a run still going finishes and ages out). */
  async deleteStored(tx: SqlClient, id: string): Promise<boolean> {
    const { changes } = await tx.run(`DELETE FROM cron_jobs WHERE id = ? AND source = 'store'`, [id]);
    if (changes === 0) return false;
    await tx.run(`DELETE FROM cron_runs WHERE job_id = ? AND status NOT IN ('running', 'queued')`, [id]);
    await bumpVersion(tx);
    return true;
  }
}

async function bumpVersion(tx: SqlClient): Promise<void> {
  await tx.run(`UPDATE cron_state SET value = value + 1 WHERE name = 'jobs_version'`);
}

function decodeBookkeeping(row: Record<string, unknown>): JobBookkeeping {
  return {
    id: String(row.id),
    source: row.source as JobSource,
    scheduleIdentity: String(row.schedule_identity),
    createdAt: toNumber(row.created_at),
    lastSlotAt: toNumber(row.last_slot_at),
    ...(row.next_run_at !== null && row.next_run_at !== undefined ? { nextRunAt: toNumber(row.next_run_at) } : {}),
  };
}

function decodeStored(row: Record<string, unknown>): StoredJobRow {
  return {
    ...decodeBookkeeping(row),
    definition: JSON.parse(String(row.definition)) as unknown,
    ...(row.owner !== null && row.owner !== undefined ? { owner: String(row.owner) } : {}),
    updatedAt: toNumber(row.updated_at),
  };
}
