export {
  compactionStateOf,
  compactionThresholds,
  completeCompaction,
  decideCompaction,
  INITIAL_COMPACTION_STATE,
  recordFlush,
  type CompactionDecision,
  type CompactionInput,
  type CompactionSettings,
  type CompactionState,
  type FlushRecord,
  type FlushWrite,
  type Thresholds,
} from './compaction-plan.js';
export { buildFlushRecord, confirmFlush, skippedFlushRecord, type FlushReceipt } from './flush-confirmation.js';
export { compactionSplit, estimateMessageTokens, estimateSessionTokens, type CountedMessage } from './token-budget.js';
export { buildSummary, modelSummary, summaryRequest, type StoredSummary, type SummaryInput } from './compaction-summary.js';
