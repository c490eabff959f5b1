import type { Turn } from './agent-runtime.js';
import type { Message } from './stores.js';
import { createToken } from './tokens.js';

/** One tool call a silent turn made, with what the tool answered. */
export interface SilentToolCall {
  readonly name: string;
  readonly input: unknown;
  readonly content: string;
  readonly isError: boolean;
}

/** How a silent turn ended. Its events went nowhere: no reader, no channel, no stream. */
export interface SilentTurnResult {
  readonly status: 'done' | 'error';
  /** The model's last answer (a flush normally answers NO_REPLY). */
  readonly text: string;
  readonly toolCalls: readonly SilentToolCall[];
  /** Why it failed, when it did. */
  readonly error?: string;
}

/** What the runtime hands a compactor before a turn. */
export interface HistoryCompactionRequest {
  /** The turn about to run (its session, agent, channel and metadata). */
  readonly turn: Turn;
  /** The assembled system prompt, for the token estimate. */
  readonly systemPrompt: string;
  /** The stored messages that would go to the model before the current one, oldest first. */
  readonly history: readonly Message[];
  readonly signal: AbortSignal;
  /**
   * Runs one turn in this session with the same prompt, history and tools, whose events are
   * never delivered (a memory flush asking the model to save what must persist). Its tools run.
   * `metadata` marks the turn, so the compactor recognises it when it is consulted for it.
   */
  runSilentTurn(message: string, metadata: Readonly<Record<string, unknown>>): Promise<SilentTurnResult>;
}

export interface HistoryCompaction {
  /** The history the model gets instead: typically a summary message and the recent messages. */
  readonly history: readonly Message[];
}

/**
 * Decides, before each turn, whether a session's history must shrink to fit the model's context,
 * and how: the one owner of compaction (the memory plugin provides it; any plugin can, as the
 * service `nexus.history-compactor`). The agent runtime consults it when one is provided and
 * otherwise sends the last `agent.history_limit` messages unchanged. A compactor never deletes
 * stored messages: it only changes what this turn sends.
 */
export interface HistoryCompactor {
  compact(request: HistoryCompactionRequest): Promise<HistoryCompaction>;
}

export const HistoryCompactorToken = createToken<HistoryCompactor>('nexus.history-compactor');

/**
 * The session metadata key under which a compactor keeps what it derived from the stored
 * messages (the summary of the older ones, its cycle). Resetting a session's history
 * (`nexus sessions reset`) removes it with the messages: a summary of a conversation that was
 * cleared would otherwise come back into the next turn. The name is the memory plugin's, which
 * kept its state there first.
 */
export const COMPACTION_METADATA_KEY = 'memory_compaction';
