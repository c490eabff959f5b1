import type { Clock, Diagnostic } from '@nexus/plugin-sdk';
import { PLUGIN_ID, pointerTo, readCronJob, scheduleIdentity, type CronJob, type CronJobConfig } from '../config/index.js';
import { JobRows, type StoredJobRow } from './job-rows.js';
import type { SqlClient } from './sql-client.js';

/** Why a change was refused, located (`source.pointer` is `/<id>/…`) with a hint. */
export interface JobRefusal {
  readonly ok: false;
  readonly diagnostics: readonly Diagnostic[];
}

/** The job as it now runs, and any warnings about it. */
export type JobChange = { readonly ok: true; readonly job: CronJob; readonly diagnostics: readonly Diagnostic[] } | JobRefusal;

export interface CronJobStoreOptions {
  readonly db: SqlClient;
  readonly clock: Clock;
  /** `user.timezone`, else undefined (the host's zone applies). */
  readonly defaultTimezone?: string;
  /** Ids of config jobs: they are read-only here, and an added job may not take their id. */
  readonly configJobIds: () => ReadonlySet<string>;
}

export interface StoredJob {
  readonly row: StoredJobRow;
  /** Undefined when the stored definition no longer reads (e.g. a time zone the runtime dropped). */
  readonly job?: CronJob;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Jobs added from the CLI or the agent tool: validated exactly like config jobs (with an `at` in
 * the past refused), stored in `cron_jobs`, and announced to every scheduler through the
 * jobs version. Config jobs are read-only here.
 */
export class CronJobStore {
  private readonly rows: JobRows;

  constructor(private readonly options: CronJobStoreOptions) {
    this.rows = new JobRows(options.db);
  }

  async list(filter: { readonly owner?: string } = {}): Promise<StoredJob[]> {
    const rows = await this.rows.stored();
    return rows.filter((row) => filter.owner === undefined || row.owner === filter.owner).map((row) => this.decode(row));
  }

  async get(id: string): Promise<StoredJob | undefined> {
    const row = await this.rows.storedJob(id);
    return row === undefined ? undefined : this.decode(row);
  }

  async add(id: string, config: CronJobConfig, owner?: string): Promise<JobChange> {
    const read = this.validate(id, config);
    if (!read.ok) return read;
    if (this.options.configJobIds().has(id)) return refuse(id, 'cron.job.id-taken', `job "${id}" is defined in the config file (cron.jobs.${id})`, 'choose another id');
    const job = read.job;
    const inserted = await this.options.db.transaction((tx) =>
      this.rows.insertStored(tx, { id, definition: config, scheduleIdentity: scheduleIdentity(job), enabled: job.enabled, ...(owner !== undefined ? { owner } : {}) }, this.options.clock.now()),
    );
    if (!inserted) return refuse(id, 'cron.job.id-taken', `a job with id "${id}" already exists`, `choose another id, or change the existing job with nexus cron edit ${id}`);
    return read;
  }

  /** Replaces a stored job's settings. */
  async update(id: string, config: CronJobConfig): Promise<JobChange> {
    if (this.options.configJobIds().has(id)) return readOnly(id);
    const read = this.validate(id, config);
    if (!read.ok) return read;
    const job = read.job;
    const updated = await this.options.db.transaction((tx) => this.rows.updateStored(tx, { id, definition: config, scheduleIdentity: scheduleIdentity(job), enabled: job.enabled }, this.options.clock.now()));
    return updated ? read : missing(id);
  }

  async setEnabled(id: string, enabled: boolean): Promise<JobChange> {
    if (this.options.configJobIds().has(id)) return readOnly(id);
    const stored = await this.rows.storedJob(id);
    if (stored === undefined) return missing(id);
    return this.update(id, { ...(stored.definition as CronJobConfig), enabled });
  }

  /** Removes a stored job; `owner` limits it to that owner's jobs (the agent tool). */
  async remove(id: string, owner?: string): Promise<{ readonly ok: true } | JobRefusal> {
    if (this.options.configJobIds().has(id)) return readOnly(id);
    const stored = await this.rows.storedJob(id);
    if (stored === undefined || (owner !== undefined && stored.owner !== owner)) return missing(id);
    const removed = await this.options.db.transaction((tx) => this.rows.deleteStored(tx, id));
    return removed ? { ok: true } : missing(id);
  }

  private validate(id: string, config: CronJobConfig): JobChange {
    const result = readCronJob(id, config, { source: 'store', now: this.options.clock.now(), pastAt: 'error', pointer: pointerTo(id), ...this.zone() });
    return result.job ? { ok: true, job: result.job, diagnostics: result.diagnostics } : { ok: false, diagnostics: result.diagnostics };
  }

  private decode(row: StoredJobRow): StoredJob {
    // Stored jobs were checked when added; a one-shot whose time has come is not an error now.
    const result = readCronJob(row.id, row.definition, { source: 'store', now: this.options.clock.now(), pastAt: 'warning', pointer: pointerTo(row.id), ...this.zone() });
    return { row, ...(result.job ? { job: result.job } : {}), diagnostics: result.diagnostics };
  }

  private zone(): { defaultTimezone?: string } {
    return this.options.defaultTimezone !== undefined ? { defaultTimezone: this.options.defaultTimezone } : {};
  }
}

function refuse(id: string, code: string, message: string, hint: string): JobRefusal {
  return { ok: false, diagnostics: [{ level: 'error', code, pluginId: PLUGIN_ID, message, hint, source: { pointer: pointerTo(id) } }] };
}

function readOnly(id: string): JobRefusal {
  return refuse(id, 'cron.job.read-only', `job "${id}" comes from the config file (cron.jobs.${id}) and is read-only at run time`, `edit cron.jobs.${id} in the config file`);
}

function missing(id: string): JobRefusal {
  return refuse(id, 'cron.job.not-found', `there is no stored job "${id}"`, 'list the jobs with nexus cron list');
}
