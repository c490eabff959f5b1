export { AtSchedule } from './at-schedule.js';
export { compileSchedule, upcomingRuns } from './compile-schedule.js';
export { CronCache, CronSchedule, parseCronExpression, type CronParseResult } from './cron-schedule.js';
export { EverySchedule } from './every-schedule.js';
export { parseIsoTime, type IsoTimeResult } from './iso-time.js';
export { countBySteps, recentRuns, type Schedule, type ScheduleSpec } from './schedule.js';
export { staggerOffset } from './stagger.js';
export { canonicalTimeZone, formatInZone, hostTimeZone, isKnownTimeZone } from './time-zone.js';
