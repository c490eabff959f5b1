import { COMPACTION_METADATA_KEY } from '@nexus/plugin-sdk';
import type { StoredSummary } from './compaction-summary.js';

/** The compaction settings the decision reads (`memory.compaction`). */
export interface CompactionSettings {
  readonly enabled: boolean;
  readonly reserveTokens: number;
  readonly softThresholdTokens: number;
  readonly flush: boolean;
  readonly prompt: string;
}

/**
 * Compaction bookkeeping stored with the session (under `metadata.memory_compaction`, `COMPACTION_METADATA_KEY`). `cycle`
 * counts compactions; a cycle's flush is recorded by setting `flushedCycle` to it, so there is
 * exactly one flush per cycle however many turns see the threshold crossed.
 */
export interface CompactionState {
  readonly cycle: number;
  readonly flushedCycle?: number;
  readonly lastFlush?: FlushRecord;
  readonly compactedAt?: number;
  /** What stands in for the compacted messages. */
  readonly summary?: StoredSummary;
}

export interface FlushWrite {
  readonly path: string;
  readonly target: 'daily' | 'MEMORY.md';
  readonly offset: number;
  readonly bytes: number;
  readonly sha256: string;
  /** The bytes are in the file, where the write put them. */
  readonly confirmed: boolean;
}

/** What a flush did, checked against the files: shown by `memory stats` and sent with the `memory.flushed` hook. */
export interface FlushRecord {
  readonly cycle: number;
  readonly at: number;
  /** `written`: at least one write, all confirmed; `unconfirmed`: a write is not in its file; `nothing`: the model saved nothing; `skipped`: read-only workspace; `failed`: the turn failed. */
  readonly outcome: 'written' | 'unconfirmed' | 'nothing' | 'skipped' | 'failed';
  readonly writes: readonly FlushWrite[];
  readonly error?: string;
}

export interface Thresholds {
  /** History size at which the flush runs. */
  readonly flushAt: number;
  /** History size at which older messages are replaced by a summary. */
  readonly compactAt: number;
}

export type CompactionDecision =
  | { readonly action: 'none'; readonly reason: string; readonly thresholds: Thresholds }
  /** Run one silent turn with `prompt` (nothing reaches the channel), then `recordFlush`. */
  | { readonly action: 'flush'; readonly cycle: number; readonly prompt: string; readonly reason: string; readonly thresholds: Thresholds }
  /** Summarise the older history, keep the originals in storage, then `completeCompaction`. */
  | { readonly action: 'compact'; readonly cycle: number; readonly reason: string; readonly flushSkipped?: string; readonly thresholds: Thresholds };

export interface CompactionInput {
  /** The model's context window, in tokens. */
  readonly contextWindow: number;
  /** The prompt's size now (system prompt and history), estimated just before the turn. */
  readonly estimatedTokens: number;
  readonly settings: CompactionSettings;
  readonly state: CompactionState;
  readonly workspaceWritable: boolean;
}

export const INITIAL_COMPACTION_STATE: CompactionState = { cycle: 0 };

/**
 * Where the thresholds lie. Compaction starts at `window − reserve`; the flush runs
 * `softThreshold` tokens before that. A reserve larger than half the window is capped at half, so
 * a small model still gets a usable history instead of compacting on every turn.
 */
export function compactionThresholds(contextWindow: number, settings: CompactionSettings): Thresholds {
  const reserve = Math.min(settings.reserveTokens, Math.floor(contextWindow / 2));
  const compactAt = Math.max(1, contextWindow - reserve);
  return { compactAt, flushAt: Math.max(0, compactAt - settings.softThresholdTokens) };
}

/**
 * What to do before this turn. Once the history passes `flushAt`, the flush comes first, and only
 * once per cycle, before anything is dropped (the peer's bugs: flushing after truncation, on
 * alternate cycles, or never); compaction follows at `compactAt`. A read-only workspace skips
 * the flush (the model could not write anything) but not the compaction.
 */
export function decideCompaction(input: CompactionInput): CompactionDecision {
  const { settings, state, estimatedTokens } = input;
  const thresholds = compactionThresholds(input.contextWindow, settings);
  if (!settings.enabled) return { action: 'none', reason: 'memory.compaction.enabled is off', thresholds };
  if (estimatedTokens < thresholds.flushAt) {
    return { action: 'none', reason: `${estimatedTokens} tokens is below the flush threshold (${thresholds.flushAt})`, thresholds };
  }
  const flushed = state.flushedCycle === state.cycle;
  let flushSkipped: string | undefined;
  if (settings.flush && !flushed) {
    if (input.workspaceWritable) {
      return { action: 'flush', cycle: state.cycle, prompt: settings.prompt, reason: `${estimatedTokens} tokens reached the flush threshold (${thresholds.flushAt}) and cycle ${state.cycle} has not flushed`, thresholds };
    }
    flushSkipped = 'the workspace is read-only, so there is no memory flush';
  }
  if (estimatedTokens < thresholds.compactAt) {
    return { action: 'none', reason: `${flushed ? `cycle ${state.cycle} has flushed; ` : ''}${estimatedTokens} tokens is below the compaction point (${thresholds.compactAt})`, thresholds };
  }
  return {
    action: 'compact',
    cycle: state.cycle,
    reason: `${estimatedTokens} tokens reached the compaction point (${thresholds.compactAt})`,
    ...(flushSkipped ? { flushSkipped } : !settings.flush ? { flushSkipped: 'memory.compaction.flush is off' } : {}),
    thresholds,
  };
}

/** The state after a cycle's flush (or its skip) was recorded: no second flush in this cycle. */
export function recordFlush(state: CompactionState, record: FlushRecord): CompactionState {
  return { ...state, flushedCycle: record.cycle, lastFlush: record };
}

/** The state after a compaction: a new cycle begins, which may flush again. */
export function completeCompaction(state: CompactionState, at: number): CompactionState {
  return { ...state, cycle: state.cycle + 1, compactedAt: at };
}

/** Reads the state from session metadata, tolerating absence and junk (a fresh state). */
export function compactionStateOf(metadata: Readonly<Record<string, unknown>>): CompactionState {
  const raw = metadata[COMPACTION_METADATA_KEY] as Partial<CompactionState> | undefined;
  if (!raw || typeof raw !== 'object' || typeof raw.cycle !== 'number' || !Number.isInteger(raw.cycle) || raw.cycle < 0) return INITIAL_COMPACTION_STATE;
  return raw as CompactionState;
}
