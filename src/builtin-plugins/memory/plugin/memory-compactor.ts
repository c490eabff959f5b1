import {
  COMPACTION_METADATA_KEY,
  SessionStoreToken,
  type HistoryCompaction,
  type HistoryCompactionRequest,
  type HistoryCompactor,
  type HookBus,
  type Message,
  type ServiceRegistry,
  type SessionStore,
  type SilentTurnResult,
} from '@nexus/plugin-sdk';
import { estimateTokens } from '../chunking/index.js';
import {
  buildSummary,
  compactionSplit,
  compactionStateOf,
  compactionThresholds,
  completeCompaction,
  confirmFlush,
  decideCompaction,
  estimateSessionTokens,
  modelSummary,
  recordFlush,
  skippedFlushRecord,
  summaryRequest,
  type CompactionState,
  type FlushReceipt,
  type FlushRecord,
  type StoredSummary,
  type SummaryInput,
} from '../compaction/index.js';
import type { MemoryEngine } from '../operations/index.js';
import { FlushLedger } from './flush-ledger.js';
import type { MemoryHost } from './memory-host.js';

/** Marks the flush turn, so the compactor lets it see the history it is about to compact. */
export const FLUSH_MARKER = 'memory_flush';
/** Marks the summary turn, whose history is cut after the last message being compacted. */
export const SUMMARY_MARKER = 'memory_summary_turn';

/**
 * The one owner of compaction (the agent runtime consults it before every turn). When the
 * session's prompt nears `memory.compaction.context_window` minus the reserve, one silent flush
 * turn per compaction cycle asks the model to save what must persist with memory_write, its
 * writes are read back and recorded (session metadata, `memory_flushes`, the `memory.flushed`
 * hook); past the compaction point, older messages are replaced by a summary stored with the
 * session, and a new cycle begins. The summary is the model's, from a second silent turn that sees
 * only the messages being compacted (`memory.compaction.summary: model`), or extracted from those
 * messages (`extractive`, and the fallback when the model's fails); which one is recorded with
 * it. Stored messages are never deleted.
 */
export class MemoryCompactor implements HistoryCompactor {
  constructor(
    private readonly host: MemoryHost,
    private readonly hooks: HookBus,
    private readonly services: ServiceRegistry,
  ) {}

  async compact(request: HistoryCompactionRequest): Promise<HistoryCompaction> {
    const settings = this.host.settings().compaction;
    if (!this.services.has(SessionStoreToken)) return { history: request.history };
    const store = await this.services.get(SessionStoreToken);
    const session = await store.get(request.turn.sessionId);
    let state = compactionStateOf(session.metadata);
    const view = withSummary(request.history, state.summary, request.turn.sessionId);
    // The summary turn sees what it summarises, nothing after it.
    const summarising = request.turn.metadata?.[SUMMARY_MARKER] as { throughId?: unknown } | undefined;
    if (summarising !== undefined) return { history: through(view, summarising.throughId) };
    // The flush turn itself, and a session while compaction is off, only get the summary applied.
    if (request.turn.metadata?.[FLUSH_MARKER] !== undefined || !settings.enabled) return { history: view };

    const engine = await this.host.engine();
    const estimate = (messages: readonly Message[]) => estimateSessionTokens(request.systemPrompt, messages) + estimateTokens(request.turn.content) + 4;
    const tokens = estimate(view);
    // Most turns are far from the threshold: ask the file system about the workspace only near it.
    const writable = tokens >= compactionThresholds(settings.contextWindow, settings).flushAt ? await engine.writable() : true;
    let decision = decideCompaction({ contextWindow: settings.contextWindow, estimatedTokens: tokens, settings, state, workspaceWritable: writable });
    if (decision.action === 'flush') {
      const record = await this.flush(request, decision.cycle, decision.prompt, engine);
      state = await this.saveFlush(store, request.turn.sessionId, state, record);
      decision = decideCompaction({ contextWindow: settings.contextWindow, estimatedTokens: estimate(view), settings, state, workspaceWritable: writable });
    }
    if (decision.action !== 'compact') return { history: view };
    if (decision.flushSkipped && state.flushedCycle !== state.cycle) {
      state = await this.saveFlush(store, request.turn.sessionId, state, skippedFlushRecord(state.cycle, this.host.clock.now(), decision.flushSkipped));
    }

    // The stored summary message is not a message to summarise again: its text carries over.
    const messages = view.filter((m) => !isSummaryMessage(m));
    const split = compactionSplit(messages, settings.keepTokens);
    if (split === 0) return { history: view };
    const older = messages.slice(0, split);
    const now = this.host.clock.now();
    const savedTo = state.lastFlush?.cycle === state.cycle ? [...new Set(state.lastFlush.writes.filter((w) => w.confirmed).map((w) => w.path))] : [];
    const input: SummaryInput = {
      cycle: state.cycle,
      at: new Date(now).toISOString(),
      ...(state.summary ? { previous: state.summary } : {}),
      older,
      savedTo,
      maxChars: Math.max(400, Math.floor(settings.keepTokens * 2)),
    };
    const summary = settings.summary === 'model' ? await this.summarise(request, input) : buildSummary(input);
    state = { ...completeCompaction(state, now), summary };
    await store.update(request.turn.sessionId, { metadata: { ...(await store.get(request.turn.sessionId)).metadata, [COMPACTION_METADATA_KEY]: state } });
    const how = summary.source === 'model' ? 'written by the model' : summary.fallback ? `extracted, because the model's summary failed: ${summary.fallback}` : 'extracted';
    const message = `compacted ${older.length} messages of the session into a summary ${how} (cycle ${state.cycle - 1}); the originals stay stored`;
    if (summary.fallback) this.host.logger.warn(message, { sessionId: request.turn.sessionId });
    else this.host.logger.info(message, { sessionId: request.turn.sessionId });
    return { history: [...summaryMessages(summary, request.turn.sessionId), ...messages.slice(split)] };
  }

  /** The model's summary of `input.older` from a silent turn; the extractive one, saying why, when that fails. */
  private async summarise(request: HistoryCompactionRequest, input: SummaryInput): Promise<StoredSummary> {
    let result: SilentTurnResult;
    try {
      result = await request.runSilentTurn(summaryRequest(input), { [SUMMARY_MARKER]: { cycle: input.cycle, throughId: input.older.at(-1)!.id } });
    } catch (error) {
      if (request.signal.aborted) throw error;
      result = { status: 'error', text: '', toolCalls: [], error: (error as Error).message };
    }
    if (result.status === 'error') return buildSummary(input, `the summary turn failed (${result.error ?? 'no reason given'})`);
    return modelSummary(input, result.text) ?? buildSummary(input, 'the summary turn answered with no summary');
  }

  /** One silent turn; its memory_write receipts are read back from the files. */
  private async flush(request: HistoryCompactionRequest, cycle: number, prompt: string, engine: MemoryEngine): Promise<FlushRecord> {
    let result: SilentTurnResult;
    try {
      result = await request.runSilentTurn(prompt, { [FLUSH_MARKER]: { cycle } });
    } catch (error) {
      result = { status: 'error', text: '', toolCalls: [], error: (error as Error).message };
    }
    const receipts = result.toolCalls.filter((call) => call.name === 'memory_write' && !call.isError).flatMap((call) => receiptOf(call.content));
    return confirmFlush(engine.paths, cycle, this.host.clock.now(), receipts, result.status === 'error' ? (result.error ?? 'the flush turn failed') : undefined);
  }

  private async saveFlush(store: SessionStore, sessionId: string, state: CompactionState, record: FlushRecord): Promise<CompactionState> {
    const next = recordFlush(state, record);
    const session = await store.get(sessionId);
    await store.update(sessionId, { metadata: { ...session.metadata, [COMPACTION_METADATA_KEY]: next } });
    const sql = await this.host.database();
    await new FlushLedger(sql).record(sessionId, record);
    const confirmed = record.writes.filter((w) => w.confirmed).length;
    if (record.outcome === 'unconfirmed') this.host.logger.warn(`the memory flush of cycle ${record.cycle} reported ${record.writes.length - confirmed} write(s) that are not in their files`, { sessionId });
    await this.hooks.emit('memory.flushed', { sessionId, cycle: record.cycle, outcome: record.outcome, writes: record.writes.length, confirmed, paths: [...new Set(record.writes.map((w) => w.path))] });
    return next;
  }
}

function receiptOf(content: string): FlushReceipt[] {
  try {
    const parsed = JSON.parse(content) as Partial<FlushReceipt>;
    if (typeof parsed.path !== 'string' || typeof parsed.offset !== 'number' || typeof parsed.bytes !== 'number' || typeof parsed.sha256 !== 'string') return [];
    return [{ path: parsed.path, target: parsed.target === 'MEMORY.md' ? 'MEMORY.md' : 'daily', offset: parsed.offset, bytes: parsed.bytes, sha256: parsed.sha256 }];
  } catch {
    return [];
  }
}

const SUMMARY_FLAG = 'memory_summary';

function isSummaryMessage(message: Message): boolean {
  return message.metadata[SUMMARY_FLAG] === true;
}

/**
 * The stored summary in front of the messages after the last one it covers. The pair (the
 * summary as a user message, an assistant acknowledgement) keeps the conversation's turns
 * alternating, so the runtime never mistakes the summary for an unanswered message.
 */
function withSummary(history: readonly Message[], summary: StoredSummary | undefined, sessionId: string): readonly Message[] {
  if (!summary) return history;
  const through = history.findIndex((m) => m.id === summary.throughId);
  const later = through >= 0 ? history.slice(through + 1) : history.filter((m) => m.createdAt > summary.throughAt);
  return [...summaryMessages(summary, sessionId), ...later];
}

/**
 * `view` up to and including the message `throughId` (all of it when that is not found). When
 * that last message is the user's, its answer comes after the cut: a placeholder answer says so,
 * so the runtime does not present the message as one that went unanswered.
 */
function through(view: readonly Message[], throughId: unknown): readonly Message[] {
  const at = view.findIndex((m) => m.id === throughId);
  if (at < 0) return view;
  const cut = view.slice(0, at + 1);
  const last = cut[at]!;
  if (last.role !== 'user') return cut;
  return [...cut, { ...last, id: `memory-summary-cut:${last.id}`, role: 'assistant', content: '[The answer to this message follows after the part being summarised.]', attachments: [], toolCalls: [], toolResults: [], metadata: { [SUMMARY_FLAG]: true } }];
}

function summaryMessages(summary: StoredSummary, sessionId: string): Message[] {
  const base = { sessionId, attachments: [], toolCalls: [], toolResults: [], createdAt: summary.throughAt, metadata: { [SUMMARY_FLAG]: true } };
  return [
    { ...base, id: `memory-summary:${summary.throughId}`, role: 'user', content: summary.text },
    { ...base, id: `memory-summary-ack:${summary.throughId}`, role: 'assistant', content: 'Noted: I have the summary of our earlier conversation and will use memory_search or memory_get for details.' },
  ];
}
