import type { DialectSql, SqlMigration } from '@nexus/plugin-sdk';

/** `{ms}` is a UTC millisecond count: BIGINT on PostgreSQL, INTEGER in SQLite's STRICT tables. */
function both(template: string): DialectSql {
  const fill = (ms: string, strict: string) => template.replace(/\{ms\}/g, ms).replace(/\{strict\}/g, strict).trim();
  return { postgres: fill('BIGINT', ''), sqlite: fill('INTEGER', ' STRICT') };
}

/**
 * The cron plugin's tables, namespace `cron`. Never edit a released migration (its checksum is
 * recorded); add the next one instead.
 *
 * - `cron_jobs`: one row per job. Jobs added from the CLI or the agent tool keep their definition
 *   here (`source = 'store'`). Config jobs get a read-only bookkeeping row (`source = 'config'`,
 *   no definition, so header secrets never reach the database): their creation time anchors
 *   `every` schedules across restarts, and `last_slot_at` says up to where every run of the job
 *   has been accounted for (run, skipped or recorded missed), so a restart finds what it missed;
 *   `next_run_at` is the next run as the last scheduler to handle the job saw it (UTC ms; NULL
 *   when there is none), for `nexus cron list` in another process.
 * - `cron_runs`: one row per run, keyed by (job_id, scheduled_at). Inserting that key is how a
 *   process claims a run: the insert that wins runs it, on any number of replicas. The partial
 *   unique indexes let the database itself refuse a second running, or a second queued, run of
 *   a job, which is what makes the concurrency policy hold across replicas.
 * - `cron_state`: `jobs_version` grows with every change to stored jobs, so schedulers on other
 *   processes notice them with one cheap read.
 */
export const CRON_MIGRATIONS: readonly SqlMigration[] = [
  {
    id: '0001_cron',
    up: both(`
CREATE TABLE cron_jobs (
  id TEXT PRIMARY KEY,
  source TEXT NOT NULL CHECK (source IN ('config', 'store')),
  definition TEXT,
  schedule_identity TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  owner TEXT,
  created_at {ms} NOT NULL,
  updated_at {ms} NOT NULL,
  last_slot_at {ms} NOT NULL,
  next_run_at {ms}
){strict};
CREATE TABLE cron_runs (
  job_id TEXT NOT NULL,
  scheduled_at {ms} NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('schedule', 'catch_up', 'manual')),
  status TEXT NOT NULL CHECK (status IN ('running', 'queued', 'ok', 'error', 'missed', 'skipped', 'interrupted')),
  attempt INTEGER NOT NULL,
  recoveries INTEGER NOT NULL,
  claimed_by TEXT,
  started_at {ms},
  finished_at {ms},
  lease_until {ms},
  error TEXT,
  output TEXT,
  PRIMARY KEY (job_id, scheduled_at)
){strict};
CREATE UNIQUE INDEX cron_runs_one_running ON cron_runs (job_id) WHERE status = 'running';
CREATE UNIQUE INDEX cron_runs_one_queued ON cron_runs (job_id) WHERE status = 'queued';
CREATE INDEX cron_runs_leases ON cron_runs (lease_until) WHERE status = 'running';
CREATE INDEX cron_runs_finished ON cron_runs (finished_at);
CREATE TABLE cron_state (
  name TEXT PRIMARY KEY,
  value {ms} NOT NULL
){strict};
INSERT INTO cron_state (name, value) VALUES ('jobs_version', 0);
`),
    down: 'DROP TABLE cron_state;\nDROP TABLE cron_runs;\nDROP TABLE cron_jobs;',
  },
];
