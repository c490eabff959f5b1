export { CRON_MIGRATIONS } from './cron-migrations.js';
export { CronJobStore, type CronJobStoreOptions, type JobChange, type JobRefusal, type StoredJob } from './cron-job-store.js';
export { JobRows, type ConfigJobRef, type JobBookkeeping, type JobProgress, type StoredJobRow } from './job-rows.js';
export { claimRuns, recordMissed, type ClaimOutcome, type ClaimRequest, type MissedRun } from './run-claims.js';
export { RunHistory, type PruneLimits } from './run-history.js';
export { EXCERPT_CHARS, keyOf, runId, type ClaimedRun, type RunKey, type RunKind, type RunRecord, type RunStatus } from './run-records.js';
export { RunTransitions } from './run-transitions.js';
export { isUniqueViolation, toNumber, type SqlClient } from './sql-client.js';
