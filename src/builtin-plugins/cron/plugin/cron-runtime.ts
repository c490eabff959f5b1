import type { Clock, ConfigAccess, Logger, ServiceRegistry, SqlDatabase } from '@nexus/plugin-sdk';
import { createExecutors, type JobExecutors } from '../executors/index.js';
import { CronScheduler, runJobNow, type ManualRunResult } from '../scheduler/index.js';
import { CronJobStore, JobRows } from '../store/index.js';
import type { CronJob } from '../config/index.js';
import { SYSTEM_TIMERS, type Timers } from '../time/index.js';
import type { CronDatabase } from './cron-database.js';
import { gatewayDelivery, gatewayTurns } from './gateway-ports.js';
import { readPluginSettings, type CronPluginSettings } from './plugin-settings.js';

export interface CronRuntimeOptions {
  readonly config: ConfigAccess;
  readonly services: ServiceRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timers?: Timers;
  readonly database: CronDatabase;
}

export type SchedulerState = 'off' | 'dormant' | 'running' | 'stopped' | 'new';

/**
 * What the plugin runs once it has jobs (see `CronHost`, which loads it): the settings, the job
 * store, and in `nexus serve` the scheduler. With no config job and no stored job the scheduler
 * stays dormant, with no timer: a job the agent tool adds in this process starts it; one that
 * `nexus cron add` stores from another process is scheduled at the server's next start.
 */
export class CronRuntime {
  private scheduler: CronScheduler | undefined;
  private state: SchedulerState = 'new';
  private starting: Promise<void> | undefined;

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
    return this.options.database.available();
  }

  database(): Promise<SqlDatabase> {
    return this.options.database.open();
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
    else if (this.state === 'dormant' && (await new JobRows(await this.database()).hasStored())) {
      this.options.logger.info('cron: jobs were added; starting the scheduler');
      await this.startScheduler(this.settings());
    }
  }

  /** Stops the scheduler: runs in flight finish within the drain time or are recorded as interrupted. */
  async stop(): Promise<void> {
    await this.starting;
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
}
