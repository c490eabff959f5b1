import { SqlDatabaseToken, StorageMigratorToken, type Clock, type ConfigAccess, type Logger, type ServiceRegistry, type SqlDatabase } from '@nexus/plugin-sdk';
import { createExecutors, type JobExecutors } from '../executors/index.js';
import { CronScheduler, runJobNow, type ManualRunResult } from '../scheduler/index.js';
import { CronJobStore, JobRows } from '../store/index.js';
import type { CronJob } from '../config/index.js';
import { SYSTEM_TIMERS, type TimerHandle, type Timers } from '../time/index.js';
import { gatewayDelivery, gatewayTurns } from './gateway-ports.js';
import { readPluginSettings, type CronPluginSettings } from './plugin-settings.js';

export interface CronRuntimeOptions {
  readonly config: ConfigAccess;
  readonly services: ServiceRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timers?: Timers;
  /** How often a dormant runtime (no job anywhere) looks for jobs added by another process. */
  readonly dormantCheckMs?: number;
}

export type SchedulerState = 'off' | 'dormant' | 'running' | 'stopped' | 'new';

/**
 * What the plugin runs: the settings, the database, the job store, and in `nexus serve` the
 * scheduler. The scheduler starts only when there is something to schedule: with no config job
 * and no stored job it stays dormant, and only reads the stored jobs' version once per
 * `dormantCheckMs` to notice a job added by `nexus cron add` in another process.
 */
export class CronRuntime {
  private scheduler: CronScheduler | undefined;
  private state: SchedulerState = 'new';
  private dormantTimer: TimerHandle | undefined;
  private dormantVersion = 0;
  private starting: Promise<void> | undefined;
  private ready: Promise<SqlDatabase> | undefined;

  constructor(private readonly options: CronRuntimeOptions) {}

  get schedulerState(): SchedulerState {
    return this.state;
  }

  get activeScheduler(): CronScheduler | undefined {
    return this.scheduler;
  }

  settings(): CronPluginSettings {
    return readPluginSettings(this.options.config, this.options.clock.now());
  }

  configPath(): string | undefined {
    return this.options.config.path;
  }

  hasDatabase(): boolean {
    return this.options.services.has(SqlDatabaseToken);
  }

  /**
   * The database, with the cron tables in it: plain SQL is not wrapped like the core stores, so
   * the first use applies pending migrations where the store migrates by itself (SQLite by
   * default), and says what to run where it does not.
   */
  database(): Promise<SqlDatabase> {
    this.ready ??= this.openDatabase();
    this.ready.catch(() => (this.ready = undefined));
    return this.ready;
  }

  private async openDatabase(): Promise<SqlDatabase> {
    const { services } = this.options;
    if (!this.hasDatabase()) throw new Error('cron keeps its jobs and runs in the database, and the configured store has no SQL (database.url: memory): set database.url to a SQLite file or a PostgreSQL URL');
    const db = await services.get(SqlDatabaseToken);
    if (services.has(StorageMigratorToken)) {
      const migrator = await services.get(StorageMigratorToken);
      await migrator.autoMigrate();
      const pending = (await migrator.status()).pending.filter((m) => m.name.startsWith('cron/')).map((m) => m.name);
      if (pending.length > 0) throw new Error(`the cron tables are not in the database ${db.location} yet (pending: ${pending.join(', ')}): run nexus migrate up`);
    }
    return db;
  }

  async jobStore(settings = this.settings()): Promise<CronJobStore> {
    const configIds = new Set(settings.jobs.map((job) => job.id));
    return new CronJobStore({ db: await this.database(), clock: this.options.clock, configJobIds: () => configIds, ...(settings.defaultTimezone ? { defaultTimezone: settings.defaultTimezone } : {}) });
  }

  executors(): JobExecutors {
    const { clock, services } = this.options;
    return createExecutors({ clock, timers: this.options.timers ?? SYSTEM_TIMERS, turns: gatewayTurns(services), delivery: gatewayDelivery(services) });
  }

  /** Runs one job now in this process (`nexus cron run <id> --now`). */
  async runNow(job: CronJob): Promise<ManualRunResult> {
    const { clock, logger } = this.options;
    return runJobNow({ db: await this.database(), clock, logger, executors: this.executors(), ...(this.options.timers ? { timers: this.options.timers } : {}) }, job);
  }

  /** `nexus serve` is up: start the scheduler, or wait dormant until there is a job. */
  start(): Promise<void> {
    this.starting ??= this.begin().catch((error: unknown) => {
      this.options.logger.error(`cron: the scheduler could not start: ${(error as Error).message}`);
    });
    return this.starting;
  }

  /** Stored jobs changed in this process (the agent tool): schedule them now. */
  async storedJobsChanged(): Promise<void> {
    if (this.state === 'running') await this.scheduler!.refreshStoredJobs();
    else if (this.state === 'dormant') await this.checkDormant();
  }

  /** Stops the scheduler: runs in flight finish within the drain time or are recorded as interrupted. */
  async stop(): Promise<void> {
    await this.starting;
    this.clearDormant();
    const scheduler = this.scheduler;
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    if (!scheduler) return;
    const report = await scheduler.stop(this.settings().drainMs);
    if (report.interrupted > 0) this.options.logger.warn(`cron: ${report.interrupted} run(s) did not finish before shutdown and were recorded as interrupted`);
  }

  private async begin(): Promise<void> {
    const settings = this.settings();
    const { logger } = this.options;
    for (const diagnostic of settings.diagnostics) logger[diagnostic.level === 'error' ? 'error' : diagnostic.level === 'warning' ? 'warn' : 'info'](`cron: ${diagnostic.message}${diagnostic.hint ? ` (${diagnostic.hint})` : ''}`, { code: diagnostic.code });
    if (!settings.enabled) {
      this.state = 'off';
      logger.info('cron: the scheduler is off on this host (cron.enabled: false); other replicas run the jobs');
      return;
    }
    if (!this.hasDatabase()) {
      this.state = 'off';
      if (settings.jobs.length > 0) logger.error(`cron: ${settings.jobs.length} job(s) are configured, but the store has no SQL database (database.url: memory), so none runs; set database.url to a SQLite file or a PostgreSQL URL`);
      return;
    }
    if (settings.jobs.length === 0 && !(await new JobRows(await this.database()).hasStored())) {
      this.state = 'dormant';
      this.dormantVersion = await new JobRows(await this.database()).version();
      logger.debug('cron: no jobs configured or stored; the scheduler waits dormant');
      this.armDormant();
      return;
    }
    await this.startScheduler(settings);
  }

  private async startScheduler(settings: CronPluginSettings): Promise<void> {
    const { clock, logger } = this.options;
    const scheduler = new CronScheduler({
      db: await this.database(),
      clock,
      logger,
      executors: this.executors(),
      history: settings.history,
      ...(this.options.timers ? { timers: this.options.timers } : {}),
      ...(settings.defaultTimezone ? { defaultTimezone: settings.defaultTimezone } : {}),
    });
    this.scheduler = scheduler;
    this.state = 'running';
    const { jobs, recovered } = await scheduler.start(settings.jobs);
    logger.info(`cron: scheduling ${jobs} job(s)${recovered > 0 ? `; ${recovered} interrupted run(s) taken up again` : ''}`, { instance: scheduler.instanceId });
  }

  private armDormant(): void {
    const timers = this.options.timers ?? SYSTEM_TIMERS;
    this.dormantTimer = timers.setTimeout(() => {
      this.dormantTimer = undefined;
      void this.checkDormant().catch((error: unknown) => this.options.logger.warn(`cron: could not look for new jobs: ${(error as Error).message}`));
    }, this.options.dormantCheckMs ?? 60_000);
  }

  private clearDormant(): void {
    if (this.dormantTimer !== undefined) (this.options.timers ?? SYSTEM_TIMERS).clearTimeout(this.dormantTimer);
    this.dormantTimer = undefined;
  }

  private async checkDormant(): Promise<void> {
    if (this.state !== 'dormant') return;
    this.clearDormant();
    const rows = new JobRows(await this.database());
    const version = await rows.version();
    if (version !== this.dormantVersion && (await rows.hasStored())) {
      this.options.logger.info('cron: jobs were added; starting the scheduler');
      await this.startScheduler(this.settings());
      return;
    }
    this.dormantVersion = version;
    if (this.state === 'dormant') this.armDormant();
  }
}
