import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StorageMigratorToken, type LlmMessage, type Session } from '@nexus/plugin-sdk';
import { call, calls, ofType, says } from '../agent/agent-test-kit.js';
import { runCommandLine } from '../../helpers/command-line.js';
import { freshDatabase, postgresSkipReason } from '../storage/postgres-test-kit.js';
import { FlushRecorderToken } from './fixtures/flush-recorder/index.js';
import { workspace } from './memory-test-kit.js';
import { flushRecorderDir, memoryHarness, memoryKernel, type MemoryHarness } from './memory-plugin-kit.js';

/** About 1,000 tokens (4 characters each). */
const BIG = 'word '.repeat(800);

/** Compaction at 18,000 tokens (20,000 − 2,000 reserve); the flush 6,000 tokens earlier. */
const COMPACTION = { context_window: 20000, reserve_tokens: 2000, soft_threshold_tokens: 6000, keep_tokens: 1000 };

async function fill(h: MemoryHarness, session: Session, pairs: number): Promise<void> {
  for (let i = 0; i < pairs; i++) {
    await h.append(session, { role: 'user', content: `question ${i} ${BIG}` });
    await h.append(session, { role: 'assistant', content: `answer ${i} ${BIG}` });
  }
}

const textOf = (message: LlmMessage | undefined) => (message?.content ?? []).map((p) => (p.type === 'text' ? p.text : '')).join('');

const DIALECTS = [
  { name: 'SQLite', skip: undefined, database: async () => undefined },
  { name: 'PostgreSQL', skip: postgresSkipReason(), database: async () => ({ url: await freshDatabase('memory_compaction') }) },
];

describe.each(DIALECTS)('compaction with a memory flush, through the agent runtime, on $name', ({ skip, database }) => {
  it.skipIf(skip !== undefined)('flushes once per cycle, silently, confirms the writes, then compacts into a summary with the originals kept', async () => {
    const dir = workspace();
    const db = await database();
    await using kernel = memoryKernel({ workspace: dir, memory: { compaction: COMPACTION }, with: [flushRecorderDir], ...(db ? { database: db } : {}) });
    if (db) await (await kernel.services.get(StorageMigratorToken)).up();
    const h = await memoryHarness(kernel);
    const flushed = await kernel.services.get(FlushRecorderToken);
    const session = await h.session('api', 'long');

    // ~13,000 tokens: past the flush threshold (12,000), short of compaction (18,000).
    await fill(h, session, 6);
    await h.append(session, { role: 'user', content: BIG });
    await h.append(session, { role: 'assistant', content: 'ok' });
    h.llm.script(calls([call('memory_write', { text: 'The user drinks tea, never coffee.' })]), says('NO_REPLY'), says('first answer'));
    const first = await h.turn(session, 'hello again');

    // The flush turn's tool call and NO_REPLY reached nobody: the reader saw only its own turn.
    expect(ofType(first, 'tool_call')).toEqual([]);
    expect(ofType(first, 'text_delta').map((e) => e.text).join('')).toBe('first answer');
    expect(ofType(first, 'done')).toEqual([{ type: 'done', text: 'first answer' }]);
    expect(h.llm.requests).toHaveLength(3);
    expect(textOf(h.llm.requests[0]!.messages.at(-1))).toMatch(/about to be compacted/);
    expect(flushed).toHaveLength(1);
    expect(flushed[0]).toMatchObject({ sessionId: session.id, cycle: 0, outcome: 'written', writes: 1, confirmed: 1 });
    const dailyFile = flushed[0]!.paths[0]!;
    expect(readFileSync(join(dir, dailyFile), 'utf8')).toContain('The user drinks tea, never coffee.');
    const afterFlush = (await h.store.get(session.id)).metadata.memory_compaction as { cycle: number; flushedCycle: number; lastFlush: { outcome: string; writes: { confirmed: boolean }[] } };
    expect(afterFlush).toMatchObject({ cycle: 0, flushedCycle: 0, lastFlush: { outcome: 'written', writes: [{ confirmed: true }] } });

    // Still in the flush zone: no second flush in this cycle.
    h.llm.script(says('second answer'));
    await h.turn(session, 'and now?');
    expect(h.llm.requests).toHaveLength(4);
    expect(flushed).toHaveLength(1);

    // Past the compaction point: this cycle flushed already, so it compacts straight away, with a
    // summary the model writes in a silent turn that sees only the messages it replaces.
    const before = await h.store.history(session.id, 500);
    await fill(h, session, 3);
    h.llm.script(says('The user asked ten questions about words; they drink tea.'), says('third answer'));
    const third = await h.turn(session, 'one more');
    expect(ofType(third, 'done')).toEqual([{ type: 'done', text: 'third answer' }]);
    expect(ofType(third, 'text_delta').map((e) => e.text).join('')).toBe('third answer');
    expect(flushed).toHaveLength(1);
    expect(h.llm.requests).toHaveLength(6);
    const asked = h.llm.requests[4]!.messages;
    expect(textOf(asked.at(-1))).toMatch(/^The \d+ messages above .* are about to leave your context/);
    expect(asked.map(textOf)).not.toContain('one more');
    const lastSummarised = textOf(asked.at(-2)).startsWith('[The answer to this message follows') ? asked.at(-3) : asked.at(-2);
    expect(textOf(lastSummarised)).toMatch(/^(question|answer) \d /);
    const sent = h.llm.requests[5]!.messages;
    expect(textOf(sent[0])).toMatch(/^\[Summary of \d+ earlier messages of this conversation, compacted \(cycle 0/);
    expect(textOf(sent[0])).toContain(`Saved to memory before compacting: ${dailyFile}`);
    expect(textOf(sent[0])).toMatch(/\nThe user asked ten questions about words; they drink tea\.$/);
    expect(textOf(sent.at(-1))).toBe('one more');
    // The messages the summary replaced are the ones the summary turn saw.
    expect(sent.slice(2).map(textOf)).not.toContain(textOf(lastSummarised));
    const estimate = sent.reduce((n, m) => n + textOf(m).length / 4, 0);
    expect(estimate).toBeLessThan(18000 - 6000);

    // The originals stay stored; the session knows its summary and the new cycle.
    const stored = await h.store.history(session.id, 500);
    expect(stored.length).toBe(before.length + 6 + 2);
    expect(stored.some((m) => m.content.startsWith('question 0 '))).toBe(true);
    const compacted = (await h.store.get(session.id)).metadata.memory_compaction as { cycle: number; summary: { messages: number; source: string; fallback?: string } };
    expect(compacted.cycle).toBe(1);
    expect(compacted.summary).toMatchObject({ source: 'model' });
    expect(compacted.summary.fallback).toBeUndefined();
    expect(compacted.summary.messages).toBeGreaterThan(10);

    // The next turn sends the stored summary and what followed it, and does not flush.
    h.llm.script(says('fourth answer'));
    await h.turn(session, 'still there?');
    expect(h.llm.requests).toHaveLength(7);
    expect(textOf(h.llm.requests[6]!.messages[0])).toMatch(/^\[Summary of/);
    expect(flushed).toHaveLength(1);

    // nexus memory stats shows the confirmation.
    const stats = await runCommandLine(kernel, 'memory', ['stats', '--json']);
    expect(stats.code).toBe(0);
    const parsed = JSON.parse(stats.stdout) as { flushes: { outcomes: Record<string, number>; recent: { session_id: string; cycle: number; outcome: string }[] } };
    expect(parsed.flushes.outcomes.written).toBe(1);
    expect(parsed.flushes.recent[0]).toMatchObject({ session_id: session.id, cycle: 0, outcome: 'written' });
  });

});

describe('a flush that fails', () => {
  it('is recorded as failed, and that cycle does not flush again', async () => {
    const dir = workspace();
    await using kernel = memoryKernel({ workspace: dir, memory: { compaction: COMPACTION }, with: [flushRecorderDir] });
    const h = await memoryHarness(kernel);
    const flushed = await kernel.services.get(FlushRecorderToken);
    const session = await h.session('api', 'failing');
    await fill(h, session, 6);
    await h.append(session, { role: 'user', content: BIG });
    await h.append(session, { role: 'assistant', content: 'ok' });
    h.llm.script(
      // eslint-disable-next-line require-yield
      async function* () {
        throw Object.assign(new Error('bad request'), { status: 400 });
      },
      says('answer anyway'),
    );
    const events = await h.turn(session, 'hi');
    expect(ofType(events, 'done')).toEqual([{ type: 'done', text: 'answer anyway' }]);
    expect(flushed).toEqual([expect.objectContaining({ cycle: 0, outcome: 'failed', writes: 0 })]);
    h.llm.script(says('again'));
    await h.turn(session, 'hi');
    expect(flushed).toHaveLength(1);
  });
});

describe('the compaction summary', () => {
  const PAST_COMPACTION = 9;

  it('falls back to the extractive summary when the summary turn fails, and records why', async () => {
    await using kernel = memoryKernel({ workspace: workspace(), memory: { compaction: { ...COMPACTION, flush: false } } });
    const h = await memoryHarness(kernel);
    const session = await h.session('api', 'summary-fails');
    await fill(h, session, PAST_COMPACTION);
    h.llm.script(
      // eslint-disable-next-line require-yield
      async function* () {
        throw Object.assign(new Error('bad request'), { status: 400 });
      },
      says('answer anyway'),
    );
    const events = await h.turn(session, 'hi');
    expect(ofType(events, 'done')).toEqual([{ type: 'done', text: 'answer anyway' }]);
    expect(h.llm.requests).toHaveLength(2);
    const state = (await h.store.get(session.id)).metadata.memory_compaction as { cycle: number; flushedCycle: number; summary: { source: string; fallback: string } };
    expect(state.cycle).toBe(1);
    expect(state.summary).toMatchObject({ source: 'extractive', fallback: expect.stringMatching(/^the summary turn failed \(.*bad request/) });
    // The extractive summary quotes the start of each message it replaced.
    const sent = h.llm.requests[1]!.messages;
    expect(textOf(sent[0])).toMatch(/^\[Summary of \d+ earlier messages/);
    expect(textOf(sent[0])).toMatch(/\n- user: question \d+ word/);
  });

  it('falls back when the model answers with no summary, and asks no model with summary: extractive', async () => {
    await using kernel = memoryKernel({ workspace: workspace(), memory: { compaction: { ...COMPACTION, flush: false } } });
    const h = await memoryHarness(kernel);
    const session = await h.session('api', 'summary-empty');
    await fill(h, session, PAST_COMPACTION);
    h.llm.script(says('NO_REPLY'), says('fine'));
    await h.turn(session, 'hi');
    expect(((await h.store.get(session.id)).metadata.memory_compaction as { summary: unknown }).summary).toMatchObject({ source: 'extractive', fallback: 'the summary turn answered with no summary' });

    await using extractive = memoryKernel({ workspace: workspace(), memory: { compaction: { ...COMPACTION, flush: false, summary: 'extractive' } } });
    const e = await memoryHarness(extractive);
    const other = await e.session('api', 'summary-extractive');
    await fill(e, other, PAST_COMPACTION);
    e.llm.script(says('fine'));
    await e.turn(other, 'hi');
    expect(e.llm.requests).toHaveLength(1);
    const state = (await e.store.get(other.id)).metadata.memory_compaction as { cycle: number; summary: { source: string; fallback?: string } };
    expect(state).toMatchObject({ cycle: 1, summary: { source: 'extractive' } });
    expect(state.summary.fallback).toBeUndefined();
  });
});
