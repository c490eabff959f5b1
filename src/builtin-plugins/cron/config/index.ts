export { describeSession, scheduleIdentity, type AgentTurnPayload, type CronJob, type DeliveryTarget, type HeartbeatPayload, type JobOfType, type JobSource, type PayloadByType, type SystemEventPayload, type WebhookPayload } from './cron-job.js';
export { CRON_JOB_SCHEMA, CRON_SECTION_SCHEMA } from './cron-schema.js';
export {
  CONCURRENCY_POLICIES,
  CRON_DEFAULTS,
  JOB_ID_PATTERN,
  JOB_TYPES,
  MISFIRE_POLICIES,
  WEBHOOK_METHODS,
  type ConcurrencyPolicy,
  type CronJobConfig,
  type CronJobType,
  type CronSection,
  type MisfirePolicy,
  type ScheduleConfig,
  type WebhookMethod,
} from './cron-section.js';
export { PLUGIN_ID, pointerTo } from './job-problems.js';
export { readCronJob, type JobReadOptions, type JobReadResult } from './job-reader.js';
export { readCronSection, type CronSettings, type HistoryLimits, type SectionReadOptions } from './section-reader.js';
export type { ScheduleReadOptions } from './schedule-reader.js';
