export { DailyLog, type DailyAppendReceipt, type DailyEntry, type DailyLogOptions } from './daily-log.js';
export { FileLockTimeoutError, withFileLock, type FileLockOptions } from './file-lock.js';
export { appendLocked, type AppendReceipt } from './locked-append.js';
export { formatEntry, parseEntries, type EntryTag, type LogEntry } from './log-entry.js';
export { recallRecent, renderRecall, type Recall, type RecalledDay, type RecallRequest } from './recall.js';
export { REDACTED, redactSecrets } from './secret-redaction.js';
export { decideSessionPrivacy, type PrivacyDecision, type SessionPrivacyInput } from '@nexus/plugin-sdk/prompt';
export { daysBefore, daysBetween, isCalendarDate, ZonedTime, type ZonedMoment } from './zoned-time.js';
