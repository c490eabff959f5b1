import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compactionSplit,
  compactionStateOf,
  compactionThresholds,
  completeCompaction,
  confirmFlush,
  decideCompaction,
  estimateSessionTokens,
  INITIAL_COMPACTION_STATE,
  buildSummary,
  modelSummary,
  recordFlush,
  skippedFlushRecord,
  summaryRequest,
  type SummaryInput,
  type CompactionSettings,
  type CompactionState,
} from '../../../src/builtin-plugins/memory/compaction/index.js';
import { openTestEngine } from './memory-test-kit.js';

const SETTINGS: CompactionSettings = { enabled: true, reserveTokens: 20_000, softThresholdTokens: 4_000, flush: true, prompt: 'Save what matters.' };
const WINDOW = 128_000;
// compaction at 108 000, flush at 104 000

function decide(estimatedTokens: number, state: CompactionState = INITIAL_COMPACTION_STATE, overrides: Partial<CompactionSettings> = {}, workspaceWritable = true) {
  return decideCompaction({ contextWindow: WINDOW, estimatedTokens, settings: { ...SETTINGS, ...overrides }, state, workspaceWritable });
}

describe('deciding flush and compaction', () => {
  it('puts the flush soft_threshold tokens before compaction, which starts at window minus reserve', () => {
    expect(compactionThresholds(WINDOW, SETTINGS)).toEqual({ flushAt: 104_000, compactAt: 108_000 });
    // A reserve larger than half a small window is capped, so there is still room for history.
    expect(compactionThresholds(16_000, SETTINGS)).toEqual({ flushAt: 4_000, compactAt: 8_000 });
  });

  it('does nothing below the flush threshold', () => {
    expect(decide(103_999)).toMatchObject({ action: 'none', reason: '103999 tokens is below the flush threshold (104000)' });
  });

  it('flushes once the threshold is crossed, before anything is dropped, even past the compaction point', () => {
    expect(decide(104_000)).toMatchObject({ action: 'flush', cycle: 0, prompt: 'Save what matters.' });
    expect(decide(120_000)).toMatchObject({ action: 'flush', cycle: 0 });
  });

  it('flushes exactly once per cycle, then compacts at the compaction point, then a new cycle may flush again', () => {
    let state = INITIAL_COMPACTION_STATE;
    const actions: string[] = [];
    // A session growing by 1500 tokens a turn from 100 000.
    for (let tokens = 100_000, turn = 0; turn < 12; turn++, tokens += 1_500) {
      const decision = decide(tokens, state);
      actions.push(decision.action);
      if (decision.action === 'flush') state = recordFlush(state, { cycle: decision.cycle, at: turn, outcome: 'nothing', writes: [] });
      if (decision.action === 'compact') {
        state = completeCompaction(state, turn);
        tokens = 40_000;
      }
    }
    expect(actions.filter((a) => a === 'flush')).toHaveLength(1);
    expect(actions.indexOf('flush')).toBeLessThan(actions.indexOf('compact'));
    expect(state.cycle).toBe(1);
    expect(decide(104_500, state)).toMatchObject({ action: 'flush', cycle: 1 });
  });

  it('skips the flush for a read-only workspace but still compacts', () => {
    expect(decide(105_000, INITIAL_COMPACTION_STATE, {}, false)).toMatchObject({ action: 'none' });
    expect(decide(110_000, INITIAL_COMPACTION_STATE, {}, false)).toMatchObject({ action: 'compact', flushSkipped: 'the workspace is read-only, so there is no memory flush' });
    const recorded = recordFlush(INITIAL_COMPACTION_STATE, skippedFlushRecord(0, 1, 'read-only'));
    expect(recorded.flushedCycle).toBe(0);
    expect(recorded.lastFlush!.outcome).toBe('skipped');
  });

  it('compacts without flushing when the flush is off, and does nothing when compaction is off', () => {
    expect(decide(110_000, INITIAL_COMPACTION_STATE, { flush: false })).toMatchObject({ action: 'compact', flushSkipped: 'memory.compaction.flush is off' });
    expect(decide(127_000, INITIAL_COMPACTION_STATE, { enabled: false })).toMatchObject({ action: 'none', reason: 'memory.compaction.enabled is off' });
  });

  it('reads its state from session metadata, starting fresh on absence or junk', () => {
    expect(compactionStateOf({})).toEqual({ cycle: 0 });
    expect(compactionStateOf({ memory_compaction: { cycle: -1 } })).toEqual({ cycle: 0 });
    expect(compactionStateOf({ memory_compaction: { cycle: 3, flushedCycle: 3 } })).toEqual({ cycle: 3, flushedCycle: 3 });
  });
});

describe('confirming a flush', () => {
  it("records the flush's writes as confirmed when their bytes are in the files", async () => {
    const { engine } = await openTestEngine();
    const receipts = [await engine.write({ text: 'Ana switched jobs in March.' }), await engine.write({ text: 'Ana works at Statik GmbH now.', target: 'MEMORY.md' })];
    const record = await confirmFlush(engine.paths, 0, 1_000, receipts);
    expect(record).toMatchObject({ cycle: 0, at: 1_000, outcome: 'written' });
    expect(record.writes.map((w) => [w.path, w.target, w.confirmed])).toEqual([
      ['memory/2026-03-15.md', 'daily', true],
      ['MEMORY.md', 'MEMORY.md', true],
    ]);
  });

  it('marks a write that is no longer where it went as unconfirmed', async () => {
    const { engine, dir } = await openTestEngine();
    const receipt = await engine.write({ text: 'Something to keep.', target: 'MEMORY.md' });
    writeFileSync(join(dir, 'MEMORY.md'), '# Long-term memory\n\nSomething else entirely.\n');
    const record = await confirmFlush(engine.paths, 2, 5, [receipt]);
    expect(record.outcome).toBe('unconfirmed');
    expect(record.writes[0]!.confirmed).toBe(false);
  });

  it('records a flush that saved nothing, and one that failed', async () => {
    const { engine } = await openTestEngine();
    expect((await confirmFlush(engine.paths, 0, 1, [])).outcome).toBe('nothing');
    expect(await confirmFlush(engine.paths, 0, 1, [], 'the model call timed out')).toMatchObject({ outcome: 'failed', error: 'the model call timed out' });
  });
});

describe('token estimates and the compaction split', () => {
  const message = (role: string, chars: number) => ({ role, content: 'x'.repeat(chars) });

  it('counts the system prompt, each message with its framing, tool calls and results', () => {
    expect(estimateSessionTokens('x'.repeat(400), [message('user', 40), { role: 'assistant', content: '', toolCalls: [{ id: 'c', name: 't', input: {} }] }, { role: 'tool', content: '', toolResults: [{ content: 'y'.repeat(80) }] }])).toBe(
      // system 400 chars; user 4 + 10; assistant 4 + the 34-character JSON of its call (9); tool 4 + 20.
      100 + 14 + 13 + 24,
    );
  });

  it('keeps the newest messages that fit and never starts the kept part with orphaned tool results', () => {
    const history = [message('user', 400), message('assistant', 400), message('user', 400), message('assistant', 40), message('tool', 40), message('tool', 40), message('assistant', 400)];
    // 104 tokens each for the long ones, 14 for the short: 104 + 14 + 14 fit in 140, which would start at a tool result.
    expect(compactionSplit(history, 140)).toBe(3);
    expect(compactionSplit(history, 10_000)).toBe(0);
    expect(compactionSplit(history, 1)).toBe(6);
  });
});

describe('the compaction summary', () => {
  const older = [
    { id: 'm1', createdAt: 1, role: 'user', content: 'Book the night train to Lisbon.' },
    { id: 'm2', createdAt: 2, role: 'assistant', content: 'Booked for April 3.' },
  ];
  const input: SummaryInput = { cycle: 2, at: '2026-03-01T10:00:00.000Z', previous: { text: '[Summary of 5 earlier messages …]\nAna plans a trip.', throughId: 'm0', throughAt: 0, messages: 5, source: 'model' }, older, savedTo: ['memory/2026-03-01.md'], maxChars: 400 };

  it("puts the model's text under the head line and the pointer to the flush's notes, cut to the budget", () => {
    const summary = modelSummary(input, '  Ana is going to Lisbon by night train on April 3.  ')!;
    expect(summary).toEqual({
      text: '[Summary of 7 earlier messages of this conversation, compacted (cycle 2, 2026-03-01T10:00:00.000Z); the originals are kept in storage.]\nSaved to memory before compacting: memory/2026-03-01.md (memory_get reads them).\nAna is going to Lisbon by night train on April 3.',
      throughId: 'm2',
      throughAt: 2,
      messages: 7,
      source: 'model',
    });
    const long = modelSummary(input, 'x'.repeat(1000))!;
    expect(long.text.length).toBeLessThanOrEqual(400);
    expect(long.text.endsWith('x…')).toBe(true);
  });

  it('is no summary when the model answers nothing or NO_REPLY', () => {
    expect(modelSummary(input, '   ')).toBeUndefined();
    expect(modelSummary(input, 'NO_REPLY')).toBeUndefined();
  });

  it('asks for a bounded summary of the messages above, and the extractive one records why it stands in', () => {
    expect(summaryRequest(input)).toMatch(/^The 2 messages above .* At most 66 words, plain text/);
    expect(buildSummary(input, 'the summary turn failed (timeout)')).toMatchObject({ source: 'extractive', fallback: 'the summary turn failed (timeout)', messages: 7, throughId: 'm2' });
    expect(buildSummary(input).text).toContain('\n- user: Book the night train to Lisbon.\n- assistant: Booked for April 3.');
  });
});
