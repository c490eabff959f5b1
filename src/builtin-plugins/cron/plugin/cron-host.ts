import type { Clock, ConfigAccess, Logger, ServiceRegistry } from '@nexus/plugin-sdk';
import { JobRows } from '../store/job-rows.js';
import type { Timers } from '../time/index.js';
import { CronDatabase } from './cron-database.js';
import type * as EngineParts from './cron-engine-parts.js';
import type { CronRuntime } from './cron-runtime.js';

export interface CronHostOptions {
  readonly config: ConfigAccess;
  readonly services: ServiceRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly timers?: Timers;
}

/**
 * The plugin as every process has it, loaded by default and so kept light: what it needs to know
 * whether there is any job (the config's `cron.jobs`, one query for stored ones). The engine
 * (`CronRuntime`, the commands, the agent tool's calls, croner) loads on first use: a command,
 * a tool call, a doctor run, or a serve that has jobs to schedule. A serve with none holds
 * nothing: no engine, no scheduler, no timer.
 */
export class CronHost {
  readonly database: CronDatabase;
  private engine: Promise<CronRuntime> | undefined;
  private serving = false;

  constructor(private readonly options: CronHostOptions) {
    this.database = new CronDatabase(options.services);
  }

  /** The engine's modules (one dynamic import, cached by the module system). */
  parts(): Promise<typeof EngineParts> {
    return import('./cron-engine-parts.js');
  }

  /** The engine, loaded once; in a serving process it starts with it (dormant when there is still no job). */
  runtime(): Promise<CronRuntime> {
    this.engine ??= this.parts().then(async ({ CronRuntime }) => {
      const runtime = new CronRuntime({ ...this.options, database: this.database });
      if (this.serving) await runtime.start();
      return runtime;
    });
    return this.engine;
  }

  /** `nexus serve` is up: schedule the jobs, if there are any. */
  async start(): Promise<void> {
    this.serving = true;
    if (this.engine !== undefined) {
      await (await this.engine).start();
      return;
    }
    if (await this.anyJob()) await this.runtime();
    else this.options.logger.debug('cron: no jobs configured or stored; nothing to schedule (a job `nexus cron add` stores now is scheduled at the next start)');
  }

  async stop(): Promise<void> {
    if (this.engine !== undefined) await (await this.engine).stop();
  }

  /** Whether the agent's `cron` tool is offered: switched on, and a database to keep its jobs. */
  agentToolOn(): boolean {
    return this.section()?.agent_tool?.enabled === true && this.database.available();
  }

  /**
   * A config job, or a stored one (one query). When the database cannot say, the engine is
   * loaded anyway: its start reports why the scheduler cannot run.
   */
  private async anyJob(): Promise<boolean> {
    if (Object.keys(this.section()?.jobs ?? {}).length > 0) return true;
    if (!this.database.available()) return false;
    try {
      return await new JobRows(await this.database.open()).hasStored();
    } catch {
      return true;
    }
  }

  private section(): { readonly jobs?: Readonly<Record<string, unknown>>; readonly agent_tool?: { readonly enabled?: boolean } } | undefined {
    return this.options.config.section('cron');
  }
}
