import { parseDuration } from '@nexus/plugin-sdk';
import type { Diagnostic } from '@nexus/plugin-sdk';
import type { CronJob } from './cron-job.js';
import { CRON_DEFAULTS, type CronSection } from './cron-section.js';
import { PLUGIN_ID } from './job-problems.js';
import { readCronJob } from './job-reader.js';
import type { ScheduleReadOptions } from './schedule-reader.js';

export interface HistoryLimits {
  readonly maxRunsPerJob: number;
  readonly maxAgeMs: number;
}

export interface CronSettings {
  readonly enabled: boolean;
  /** The usable config jobs (a job with an error is left out and reported). */
  readonly jobs: readonly CronJob[];
  readonly history: HistoryLimits;
  /** Whether the agent is offered the `cron` tool. */
  readonly agentTool: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

export interface SectionReadOptions extends Omit<ScheduleReadOptions, 'pastAt'> {
  /** Default `warning`: a one-shot job in the file may simply have run already. */
  readonly pastAt?: 'error' | 'warning';
  readonly file?: string;
}

/** Reads the whole `cron` section: every job, the history limits, and every problem found. */
export function readCronSection(section: Partial<CronSection> | undefined, options: SectionReadOptions): CronSettings {
  const diagnostics: Diagnostic[] = [];
  const jobs: CronJob[] = [];
  for (const [id, raw] of Object.entries(section?.jobs ?? {})) {
    const result = readCronJob(id, raw, { ...options, pastAt: options.pastAt ?? 'warning', source: 'config' });
    diagnostics.push(...result.diagnostics);
    if (result.job) jobs.push(result.job);
  }
  const maxAge = section?.history?.max_age ?? CRON_DEFAULTS.history.max_age;
  let maxAgeMs = parseDuration(maxAge);
  if (maxAgeMs === undefined || maxAgeMs <= 0) {
    diagnostics.push({
      level: 'error',
      code: 'cron.duration.invalid',
      pluginId: PLUGIN_ID,
      message: `cron.history.max_age is ${JSON.stringify(maxAge)}, which is not a positive duration; the default ${CRON_DEFAULTS.history.max_age} applies`,
      hint: 'write a duration such as 7d or 30d',
      source: options.file !== undefined ? { file: options.file, pointer: '/cron/history/max_age' } : { pointer: '/cron/history/max_age' },
    });
    maxAgeMs = parseDuration(CRON_DEFAULTS.history.max_age)!;
  }
  return {
    enabled: section?.enabled ?? CRON_DEFAULTS.enabled,
    jobs,
    history: { maxRunsPerJob: section?.history?.max_runs_per_job ?? CRON_DEFAULTS.history.max_runs_per_job, maxAgeMs },
    agentTool: section?.agent_tool?.enabled ?? CRON_DEFAULTS.agent_tool.enabled,
    diagnostics,
  };
}
