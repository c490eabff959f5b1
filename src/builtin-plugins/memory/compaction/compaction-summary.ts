import type { CountedMessage } from './token-budget.js';

/** The summary that stands in for compacted messages, stored with the session (`memory_compaction.summary`). */
export interface StoredSummary {
  readonly text: string;
  /** The last message it covers: later ones are sent as they are. */
  readonly throughId: string;
  readonly throughAt: number;
  /** Messages it stands for, over every compaction so far. */
  readonly messages: number;
  /** Who wrote it: the model (a silent turn), or extracted from the messages. */
  readonly source: 'model' | 'extractive';
  /** Why the model did not write it, when `memory.compaction.summary` asked it to. */
  readonly fallback?: string;
}

export interface SummaryInput {
  readonly cycle: number;
  readonly at: string;
  readonly previous?: StoredSummary;
  readonly older: readonly (CountedMessage & { readonly id: string; readonly createdAt: number })[];
  /** Files the cycle's flush wrote to, to point the model at them. */
  readonly savedTo: readonly string[];
  /** Longest summary, in characters. */
  readonly maxChars: number;
}

/** Characters of one message in the summary. */
const LINE_CHARS = 240;

/**
 * What the silent summary turn asks the model. Its history is the previous summary (if any) and
 * the messages being compacted, nothing after them.
 */
export function summaryRequest(input: SummaryInput): string {
  const words = Math.max(60, Math.floor(input.maxChars / 6));
  return [
    `The ${input.older.length} messages above (with the summary of earlier ones at their start, if there is one) are about to leave your context. Write the summary that will replace them, for yourself to continue this conversation from:`,
    'who the user is and what they want; decisions made and why; facts, names, numbers, paths and commitments; what is still open.',
    `At most ${words} words, plain text, in the conversation's language. Reply with the summary only, and call no tools.`,
  ].join(' ');
}

/**
 * The model's summary, under the same head line and pointer to what the flush saved as the
 * extractive one, cut to `maxChars`. Undefined when the answer is no summary (empty, NO_REPLY).
 */
export function modelSummary(input: SummaryInput, text: string): StoredSummary | undefined {
  const body = text.trim();
  if (body === '' || /^NO_REPLY\b/.test(body)) return undefined;
  const fixed = summaryHead(input);
  const room = Math.max(0, input.maxChars - fixed.join('\n').length - 1);
  const cut = body.length <= room ? body : `${body.slice(0, Math.max(0, room - 1))}…`;
  return { ...coverage(input), text: [...fixed, cut].join('\n'), source: 'model' };
}

/**
 * An extractive summary: what each compacted message began with, newest kept when the budget
 * runs out, after the previous summary and a pointer to what the flush saved. No model call, so
 * it is the fallback when the model's summary fails, and stays exact about who said what. The
 * originals stay in storage. `fallback`: why the model did not write it.
 */
export function buildSummary(input: SummaryInput, fallback?: string): StoredSummary {
  const fixed = summaryHead(input);
  const lines = input.older
    .filter((m) => (m.role === 'user' || m.role === 'assistant') && m.content.trim() !== '')
    .map((m) => `- ${m.role}: ${oneLine(m.content)}`);
  const previous = input.previous ? [`Before that: ${oneLine(stripHead(input.previous.text), Math.floor(input.maxChars / 3))}`] : [];
  let budget = input.maxChars - [...fixed, ...previous].join('\n').length;
  const kept: string[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.length + 1 > budget) {
      kept.unshift(`- [${i + 1} earlier message${i === 0 ? '' : 's'} not shown]`);
      break;
    }
    kept.unshift(line);
    budget -= line.length + 1;
  }
  return { ...coverage(input), text: [...fixed, ...previous, ...kept].join('\n'), source: 'extractive', ...(fallback ? { fallback } : {}) };
}

/** The head line and the pointer to what the flush saved. */
function summaryHead(input: SummaryInput): string[] {
  const count = (input.previous?.messages ?? 0) + input.older.length;
  const head = `[Summary of ${count} earlier message${count === 1 ? '' : 's'} of this conversation, compacted (cycle ${input.cycle}, ${input.at}); the originals are kept in storage.]`;
  const saved = input.savedTo.length > 0 ? `Saved to memory before compacting: ${input.savedTo.join(', ')} (memory_get reads them).` : undefined;
  return [head, ...(saved ? [saved] : [])];
}

function coverage(input: SummaryInput): Pick<StoredSummary, 'throughId' | 'throughAt' | 'messages'> {
  const last = input.older.at(-1)!;
  return { throughId: last.id, throughAt: last.createdAt, messages: (input.previous?.messages ?? 0) + input.older.length };
}

function oneLine(text: string, max = LINE_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function stripHead(text: string): string {
  return text.replace(/^\[Summary of [^\]]*\]\n?/, '');
}
