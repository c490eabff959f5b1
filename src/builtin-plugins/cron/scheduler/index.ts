export { Activity } from './activity.js';
export { CronScheduler, type CronSchedulerOptions, type SchedulerJobView, type TriggerResult } from './cron-scheduler.js';
export { DueQueue } from './due-queue.js';
export { MISSED_COUNT_CAP, MISSED_ROWS_PER_JOB, planDue, type DuePlan } from './misfire-plan.js';
export type { DrainReport } from './run-lifecycle.js';
export { plannedRuns } from './planned-runs.js';
export { runJobNow, type ManualRunOptions, type ManualRunResult } from './manual-run.js';
